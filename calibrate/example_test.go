package calibrate_test

import (
	"fmt"

	"github.com/backstop-research/backstop/calibrate"
)

// A calibration file decoded: the parameters with their ranges and each target's weight
// (a band of half-width 50 weighs 1/50^2; without a band or weight, a miss counts
// relative to the value).
func ExampleDecode() {
	spec, err := calibrate.Decode([]byte(`
name: example
overrides:
  policies: [none, qe]
paths: 4000
seed: 1
parameters:
  - key: market.lambda0
    range: [0.005, 0.08]
targets:
  - stat: none.peak_basis_bp.mean
    value: 95
  - stat: qe.net_sales_10d_bn.p50
    value: 150
    band: [100, 200]
`), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range spec.Params {
		fmt.Printf("%s in [%g, %g], now %g\n", p.Key, p.Lo, p.Hi, p.Start)
	}
	for _, t := range spec.Targets {
		fmt.Printf("%s = %g, weight %.3g\n", t.Stat.Name, t.Value, t.Weight)
	}
	// Output:
	// market.lambda0 in [0.005, 0.08], now 0.015
	// none.peak_basis_bp.mean = 95, weight 0.000111
	// qe.net_sales_10d_bn.p50 = 150, weight 0.0004
}
