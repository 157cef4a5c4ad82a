package sweep

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"go.yaml.in/yaml/v3"
)

// roundTrip is what Scenario.Config gives without its shortcut: the point's scenario
// encoded and decoded again.
func roundTrip(s *Scenario, paths int, seed uint64, keys []string, values []float64) (sim.Config, error) {
	data, err := yaml.Marshal(s.with(paths, seed, keys, values))
	if err != nil {
		return sim.Config{}, err
	}
	return configs.Decode(data, s.source)
}

// numberKeys returns the dotted keys of every number under n (list elements as key[i]),
// paths and seed excepted.
func numberKeys(n *yaml.Node, prefix string) []string {
	var out []string
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			out = append(out, numberKeys(n.Content[i+1], prefix+"."+n.Content[i].Value)...)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			out = append(out, numberKeys(c, prefix+"["+strconv.Itoa(i)+"]")...)
		}
	case yaml.ScalarNode:
		if k := prefix[1:]; isNumber(n) && k != "paths" && k != "seed" {
			out = append(out, k)
		}
	}
	return out
}

// sameBits reports whether a and b hold the same values, floats compared bit for bit
// (so that 0 and -0 differ and NaN equals itself).
func sameBits(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !sameBits(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !sameBits(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	}
	return a.Interface() == b.Interface()
}

// TestConfigShortcutIsTheRoundTrip: Scenario.Config, which decodes the scenario once and
// then only the keys a point sets, gives for every numeric key of the March 2020 scenario
// (with a QE schedule) and values of every kind (whole, fractional, negative, -0, tiny,
// beyond an integer key's range, not finite) the config, or the error, of encoding the
// point's scenario and decoding it again; and the configs it returns share no storage.
func TestConfigShortcutIsTheRoundTrip(t *testing.T) {
	base := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "../configs/march2020.yaml"}
	s, err := DecodeScenario("test.yaml", base, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := numberKeys(s.tree, "")
	if len(keys) < 40 || !slices.Contains(keys, "qe.schedule[0]") {
		t.Fatalf("the scenario's numeric keys are %v: want the whole scenario, with its QE schedule", keys)
	}
	values := []float64{0, math.Copysign(0, -1), 1, 2, 7, -3, 0.5, 1e-9, 2.5e-300, 123456.789, 1e15, 3e20, -1e16, math.NaN(), math.Inf(1)}
	quick, rejected := 0, 0
	check := func(name string, paths int, seed uint64, keys []string, values []float64) {
		t.Helper()
		want, wantErr := roundTrip(s, paths, seed, keys, values)
		if _, ok := s.quickConfig(paths, seed, keys, values); ok {
			quick++
		}
		got, err := s.Config(paths, seed, keys, values)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%s: error %v, the round trip's %v", name, err, wantErr)
		}
		if err != nil {
			rejected++
			return
		}
		if !sameBits(reflect.ValueOf(got), reflect.ValueOf(want)) {
			t.Fatalf("%s: %+v, the round trip gives %+v", name, got, want)
		}
		if len(got.QE.Schedule) > 0 {
			got.QE.Schedule[0], got.Policies[0] = -1, "changed"
		}
	}
	for _, k := range keys {
		for _, x := range values {
			check(fmt.Sprintf("%s = %v", k, x), 1000, 7, []string{k}, []float64{x})
		}
	}
	check("none set", 1, 0, nil, nil)
	check("two keys, the same twice", 5000, math.MaxUint64, []string{"funds.b0", "market.k0", "funds.b0"}, []float64{600, 250.5, 610})
	check("paths out of range", 0, 1, nil, nil)
	t.Logf("%d keys, %d quick, %d rejected", len(keys), quick, rejected)
	if quick < len(keys)*4 || rejected == 0 {
		t.Errorf("%d of the points took the shortcut and %d were rejected: the test does not exercise both", quick, rejected)
	}
}
