package sim

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestStreamDrawsMatchRand checks a Stream's NormFloat64 and Float64 against rand.Rand's on
// a copy of the same generator, bit for bit and draw for draw, over enough draws that the
// ziggurat's rare cases (a draw outside its strip's rectangle, in the base strip's tail
// and elsewhere) occur many times.
func TestStreamDrawsMatchRand(t *testing.T) {
	for _, c := range []struct {
		seed  uint64
		path  int64
		draws int
	}{{1, 0, 400_000}, {1, 1, 400_000}, {20260328, 123_456, 400_000}, {0, -1, 100_000}} {
		s := NewStream()
		s.Reset(c.seed, c.path)
		pcg := rand.NewPCG(s.pcg.hi, s.pcg.lo)
		ref := rand.New(pcg)
		edges, tails := 0, 0
		for n := 0; n < c.draws; n++ {
			// What the next draw's ziggurat case will be, from a copy of the generator.
			peek := *s.pcg
			u := peek.Uint64()
			if i := u >> 32 & 0x7F; absInt32(int32(u)) >= normalK[i] {
				edges++
				if i == 0 {
					tails++
				}
			}
			got, want := s.NormFloat64(), ref.NormFloat64()
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("seed %d path %d: normal draw %d is %v, rand's %v", c.seed, c.path, n, got, want)
			}
			if n%7 == 0 {
				if got, want := s.Float64(), ref.Float64(); got != want {
					t.Fatalf("seed %d path %d: uniform draw after normal %d is %v, rand's %v", c.seed, c.path, n, got, want)
				}
			}
		}
		// About 1.2% of draws fall outside their rectangle, 1 in 1,000 in the base strip.
		if edges < c.draws/200 || tails < c.draws/5000 {
			t.Errorf("seed %d path %d: only %d edge and %d tail cases in %d draws", c.seed, c.path, edges, tails, c.draws)
		}
	}
}

// TestNormalTablesMatchGo checks the ziggurat's tables and constant against those in the
// source of the Go that builds this test.
func TestNormalTablesMatchGo(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "math", "rand", "v2", "normal.go"))
	if err != nil {
		t.Fatalf("read Go's math/rand/v2 source: %v", err)
	}
	table := func(name string) []string {
		m := regexp.MustCompile(`(?s)var ` + name + ` = \[128\]\w+\{(.*?)\n\}`).FindSubmatch(src)
		if m == nil {
			t.Fatalf("no table %s in Go's normal.go", name)
		}
		return strings.FieldsFunc(string(m[1]), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
	}
	for i, v := range table("kn") {
		want, err := strconv.ParseUint(v, 0, 32)
		if err != nil || uint32(want) != normalK[i] {
			t.Errorf("kn[%d]: Go has %s, we have %#x", i, v, normalK[i])
		}
	}
	for _, c := range []struct {
		name string
		ours *[128]float32
	}{{"wn", &normalW}, {"fn", &normalF}} {
		for i, v := range table(c.name) {
			want, err := strconv.ParseFloat(v, 32)
			if err != nil || float32(want) != c.ours[i] {
				t.Errorf("%s[%d]: Go has %s, we have %v", c.name, i, v, c.ours[i])
			}
		}
	}
	m := regexp.MustCompile(`rn = ([0-9.]+)`).FindSubmatch(src)
	if m == nil {
		t.Fatal("no rn in Go's normal.go")
	}
	if rn, err := strconv.ParseFloat(string(m[1]), 64); err != nil || rn != normalR {
		t.Errorf("rn: Go has %s, we have %v", m[1], normalR)
	}
}

// TestPCGMatchesRand checks the stream's generator against math/rand/v2's PCG from the
// same seeds, number for number, seeds with high bits and carries included.
func TestPCGMatchesRand(t *testing.T) {
	for _, seed := range [][2]uint64{{0, 0}, {1, 2}, {math.MaxUint64, math.MaxUint64}, {0x9e3779b97f4a7c15, 1 << 63}} {
		ours, ref := &pcg{hi: seed[0], lo: seed[1]}, rand.NewPCG(seed[0], seed[1])
		for n := 0; n < 100_000; n++ {
			if got, want := ours.Uint64(), ref.Uint64(); got != want {
				t.Fatalf("seed %v: number %d is %#x, rand.PCG's %#x", seed, n, got, want)
			}
		}
	}
}

// TestAbsInt32 checks the branch-free |i| against math/rand/v2's, the extremes included
// (|MinInt32| wraps to 1<<31 in both).
func TestAbsInt32(t *testing.T) {
	for _, i := range []int32{0, 1, -1, 7, -7, math.MaxInt32, math.MinInt32, math.MinInt32 + 1} {
		want := uint32(i)
		if i < 0 {
			want = uint32(-i)
		}
		if got := absInt32(i); got != want {
			t.Errorf("absInt32(%d) = %d, want %d", i, got, want)
		}
	}
}
