package explore_test

import (
	"fmt"

	"github.com/backstop-research/backstop/explore"
)

// An explore file decodes into a plan: its design's evaluations and each one's parameter
// values (a log-uniform range, whose midpoint is the geometric mean, and a discrete set).
func ExampleDecode() {
	p, err := explore.Decode([]byte(`
name: example
overrides:
  policies: [none, spv]
design: sobol
samples: 4
paths: 100
parameters:
  - key: spv.capacity
    range: [100, 500]
    scale: log
  - key: qe.lag
    values: [0, 4]
`), "example.yaml")
	if err != nil {
		panic(err)
	}
	vals, err := p.Values()
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Design, p.Evaluations(), "evaluations; the first:", vals[0])
	// Output:
	// sobol 16 evaluations; the first: [223.60679774997897 4]
}
