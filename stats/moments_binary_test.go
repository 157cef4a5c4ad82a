package stats

import (
	"math/rand/v2"
	"testing"
)

func TestMomentsBinaryRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 2, 1000} {
		var m Moments
		for i := 0; i < n; i++ {
			m.Add(r.NormFloat64() * 1e3)
		}
		b := m.AppendBinary([]byte("prefix"))
		got, rest, err := DecodeMoments(b[len("prefix"):])
		if err != nil || len(rest) != 0 {
			t.Fatalf("n=%d: %v, %d bytes left", n, err, len(rest))
		}
		if got != m {
			t.Fatalf("n=%d: decoded %+v, want %+v", n, got, m)
		}
		if _, _, err := DecodeMoments(b[len("prefix") : len(b)-1]); err == nil {
			t.Fatalf("n=%d: a truncated encoding decoded", n)
		}
	}
}
