package explore

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkSobol256 is the design of the issue: 256 Saltelli base samples over 6
// parameters (2,048 evaluations), 3 policies, 2,000 paths each, outputs included. It takes
// minutes: run it alone, e.g. go test ./explore -run '^$' -bench Sobol256 -benchtime 1x.
func BenchmarkSobol256(b *testing.B) { benchmarkSobol(b, 256) }

// BenchmarkSobol32 is BenchmarkSobol256 with 32 base samples (256 evaluations): the same
// per-evaluation work in seconds rather than minutes, for profiles and before/after pairs.
func BenchmarkSobol32(b *testing.B) { benchmarkSobol(b, 32) }

// benchmarkSobol runs the design with the given number of base samples.
func benchmarkSobol(b *testing.B, samples int) {
	p := plan(b, fmt.Sprintf(`
overrides:
  policies: [none, qe, spv]
design: sobol
samples: %d
paths: 2000
seed: 1
parameters:
  - {key: shocks.mu_j, range: [0.3, 0.8]}
  - {key: funds.gamma_m, range: [0.3, 1.0]}
  - {key: funds.b0, range: [400, 650]}
  - {key: market.k0, range: [200, 400]}
  - {key: spv.discount, range: [0, 20]}
  - {key: spv.capacity, range: [100, 500]}
`, samples))
	for b.Loop() {
		if _, err := Run(context.Background(), p, Options{OutDir: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
	}
}
