package sim_test

import (
	"testing"

	"github.com/backstop-research/backstop/sim"
)

// RegisterPolicy refuses what would make a policy name ambiguous or unusable.
func TestRegisterPolicyRefusesBadSpecs(t *testing.T) {
	newNone := func(*sim.Config) sim.Policy { return &sim.None{} }
	tests := []struct {
		name string
		spec sim.PolicySpec
	}{
		{"taken name", sim.PolicySpec{Name: "qe", New: newNone}},
		{"empty name", sim.PolicySpec{Name: "", New: newNone}},
		{"name with a comma", sim.PolicySpec{Name: "a,b", New: newNone}},
		{"no constructor", sim.PolicySpec{Name: "nothing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("RegisterPolicy(%+v) did not panic", tc.spec)
				}
			}()
			sim.RegisterPolicy(tc.spec)
		})
	}
	if got, want := len(sim.Policies()), 6; got != want {
		t.Errorf("%d policies registered after refusals, want the %d built in", got, want)
	}
	for _, p := range sim.Policies() {
		if _, ok := sim.LookupPolicy(p.Name); !ok || !sim.IsPolicy(p.Name) {
			t.Errorf("policy %s is listed but not found", p.Name)
		}
	}
}
