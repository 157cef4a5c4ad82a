package stats

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkSketchAdd measures one insertion straight into a Sketch. A run stages its ~950
// band values per path through a SketchCounter instead (BenchmarkSketchCounterAddAll).
func BenchmarkSketchAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = r.ExpFloat64()*30 - 5
	}
	s := NewSketch()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Add(xs[i&4095])
	}
}
