package configs_test

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"go.yaml.in/yaml/v3"
)

// TestModelDocParameters checks the parameter tables of docs/model.md against the
// embedded baseline.yaml: every key documented, every documented default the baseline's.
func TestModelDocParameters(t *testing.T) {
	doc, err := os.ReadFile("../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	_, params, ok := strings.Cut(string(doc), "\n## Parameters\n")
	if !ok {
		t.Fatal("docs/model.md has no Parameters section")
	}
	documented := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_0-9.]+)` \\| ([^|]+?) \\|").FindAllStringSubmatch(params, -1) {
		documented[m[1]] = m[2]
	}
	var tree map[string]any
	if err := yaml.Unmarshal(configs.BaselineYAML(), &tree); err != nil {
		t.Fatal(err)
	}
	baseline := map[string]string{}
	for k, v := range tree {
		if sub, ok := v.(map[string]any); ok {
			for k2, v2 := range sub {
				baseline[k+"."+k2] = fmt.Sprint(v2)
			}
		} else if k != "scenario" && k != "description" {
			baseline[k] = fmt.Sprint(v)
		}
	}
	keys := make([]string, 0, len(baseline))
	for k := range baseline {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d, ok := documented[k]
		if !ok {
			t.Errorf("docs/model.md does not document %s", k)
			continue
		}
		var v any
		if err := yaml.Unmarshal([]byte(d), &v); err != nil || fmt.Sprint(v) != baseline[k] {
			t.Errorf("docs/model.md gives %s = %s, baseline.yaml %s", k, d, baseline[k])
		}
	}
	for k := range documented {
		if _, ok := baseline[k]; !ok {
			t.Errorf("docs/model.md documents %s, which baseline.yaml does not have", k)
		}
	}
}
