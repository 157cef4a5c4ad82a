package run

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// TestTransposeTile checks transposeTile against the definition, code by code, for full
// tiles (a cache line) and narrower ones, at offsets that cross a cache line, and with
// row counts around the vector block (16) up to a full buffer; the columns' other codes
// must stay as they were.
func TestTransposeTile(t *testing.T) {
	for _, tc := range []struct{ n, width, off, t int }{
		{0, 16, 0, 16},
		{1, 16, 0, 16},
		{5, 13, 3, 8},
		{64, 300, 296, 4},
		{64, 300, 0, 16},
		{64, 300, 272, 16},
		{7, 39, 37, 2},
		{3, 1, 0, 1},
		{19, 40, 5, 16},
		{16, 16, 0, 16},
		{15, 17, 1, 16},
		{33, 39, 23, 16},
		{48, 117, 101, 16},
		{64, 960, 944, 16},
		{64, 960, 900, 12},
	} {
		t.Run(fmt.Sprintf("n%d_width%d_off%d_t%d", tc.n, tc.width, tc.off, tc.t), func(t *testing.T) {
			rows := make([]int32, tc.n*tc.width)
			for i := range rows {
				rows[i] = int32(i)*7 + 3
			}
			const stride = 70
			cols := make([]int32, tileGroups*stride)
			for i := range cols {
				cols[i] = -1
			}
			transposeTile(cols, stride, rows, tc.width, tc.off, tc.t, tc.n)
			for c := range tileGroups {
				for i := range stride {
					want := int32(-1)
					if c < tc.t && i < tc.n {
						want = rows[i*tc.width+tc.off+c]
					}
					if got := cols[c*stride+i]; got != want {
						t.Fatalf("column %d, row %d: %v, want %v", c, i, got, want)
					}
				}
			}
		})
	}
}

// syntheticPath returns path p's results and daily series for the policies of l: values
// that mix zeros, both signs, wide magnitudes, runs of repeated values and, for every
// policy but the first, values equal to the first policy's on about half the days, as a
// policy that does nothing repeats none's; on about a third of the paths every policy has
// the first's series, and on about a third (drawn apart) its metrics, as where no policy
// acts.
func syntheticPath(r *rand.Rand, l layout, p int) ([]sim.Result, [][]float64) {
	value := func() float64 {
		switch r.IntN(5) {
		case 0:
			return 0
		case 1:
			return math.Exp(r.Float64()*40-20) * float64(1-2*r.IntN(2))
		case 2:
			return 7.25
		default:
			return r.NormFloat64() * 50
		}
	}
	res := make([]sim.Result, l.policies)
	days := make([][]float64, l.policies)
	sameSeries, sameMetrics := r.IntN(3) == 0, r.IntN(3) == 0
	for k := range res {
		res[k].Path, res[k].Policy = int64(p), k
		days[k] = make([]float64, sim.NumSeries*l.days)
		for i := range days[k] {
			days[k][i] = value()
			if k > 0 && (sameSeries || r.IntN(2) == 0) {
				days[k][i] = days[0][i]
			}
		}
		for m := range res[k].Values {
			res[k].Values[m] = value()
			if k > 0 && (sameMetrics || r.IntN(2) == 0) {
				res[k].Values[m] = res[0].Values[m]
			}
		}
	}
	return res, days
}

// TestChunkTallyEqualsDirect checks the chunk tally (buffers, tiles, counters of changes,
// workers) against sketches given every value directly and sums added path by path: for
// layouts whose groups per policy are not a multiple of a tile, with the no-policy run
// first, last or absent, paths not a multiple of the buffer, and a band subset of some
// paths only.
func TestChunkTallyEqualsDirect(t *testing.T) {
	for _, tc := range []struct {
		policies []string
		days     int
		paths    int
		stride   int // band subset: every stride-th path
	}{
		{[]string{"none", "qe", "spv"}, 3, 200, 1},
		{[]string{"qe", "spv", "none"}, 7, 150, 3},
		{[]string{"qe", "spv"}, 2, 70, 2},
		{[]string{"none"}, 1, 5, 1},
		{[]string{"spv", "none"}, 60, 300, 1},
		{[]string{"none", "qe"}, 4, 130, 1000},
	} {
		t.Run(fmt.Sprintf("%v_days%d_paths%d_stride%d", tc.policies, tc.days, tc.paths, tc.stride), func(t *testing.T) {
			l := newLayout(tc.policies, tc.days)
			r := rand.New(rand.NewPCG(1, uint64(tc.paths)))
			const workers = 2
			blocks := sim.Blocks(tc.paths)
			ct := newChunkTally(l, workers, blocks)
			want := make([]*stats.Sketch, l.groups())
			for g := range want {
				want[g] = stats.NewSketch()
			}
			wantSums := make([][]float64, blocks)
			for b := range wantSums {
				wantSums[b] = make([]float64, l.groups())
			}
			var rows []sim.Result
			for p := range tc.paths {
				res, days := syntheticPath(r, l, p)
				rows = append(rows, res...)
				b := p / sim.BlockSize
				inBands := p%tc.stride == 0
				ct.visit(b%workers, b, res, days, inBands)
				for k := range res {
					for i, x := range days[k] {
						g := results.BandGroup(k, 0, 0, tc.days) + i
						wantSums[b][g] += x
						if inBands {
							want[g].Add(x)
						}
					}
					for m, x := range res[k].Values {
						g := l.metricGroup(k, sim.Metric(m))
						wantSums[b][g] += x
						want[g].Add(x)
					}
				}
			}
			ct.fold(rows, func(g int, sum float64, sk *stats.Sketch) {
				wantSum := 0.0
				for _, s := range wantSums {
					wantSum += s[g]
				}
				if math.Float64bits(sum) != math.Float64bits(wantSum) {
					t.Fatalf("group %d: sum %v, want %v", g, sum, wantSum)
				}
				if !bytes.Equal(sk.AppendBinary(nil), want[g].AppendBinary(nil)) {
					t.Fatalf("group %d (position %d): the sketch differs from the values given directly (count %v, want %v)", g, l.position(g), sk.Count(), want[g].Count())
				}
			})
			if slices.ContainsFunc(ct.workers, func(w *workerTally) bool {
				return w.nBands != 0 || w.nMetrics != 0 || w.nSameBands != 0 || w.nSameMetrics != 0
			}) {
				t.Error("fold left values buffered")
			}
		})
	}
}

// TestChunkTallyLeavesUnusablePathOut checks that a path with a value the tallies cannot
// hold, in a metric or a series, is refused (visit reports false) and none of its values
// reaches a sketch: the sketches are those of the usable paths alone, and counting them
// does not panic.
func TestChunkTallyLeavesUnusablePathOut(t *testing.T) {
	policies := []string{"none", "qe", "spv"}
	l := newLayout(policies, 5)
	for _, bad := range []float64{math.NaN(), math.Inf(1), -2 * maxTallied} {
		for _, inSeries := range []bool{false, true} {
			r := rand.New(rand.NewPCG(5, 6))
			ct, clean := newChunkTally(l, 1, 1), newChunkTally(l, 1, 1)
			const paths = 150
			for p := range paths {
				res, days := syntheticPath(r, l, p)
				if !ct.visit(0, 0, res, days, true) {
					t.Fatalf("path %d of usable values refused", p)
				}
				clean.visit(0, 0, res, days, true)
				if p%50 == 7 {
					res, days = syntheticPath(r, l, p)
					if inSeries {
						days[2][3] = bad
					} else {
						res[1].Values[sim.HFLossBN] = bad
					}
					if ct.visit(0, 0, res, days, true) {
						t.Fatalf("%v in a series %v: path accepted", bad, inSeries)
					}
				}
			}
			want := map[int][]byte{}
			clean.fold(nil, func(g int, _ float64, sk *stats.Sketch) { want[g] = sk.AppendBinary(nil) })
			ct.fold(nil, func(g int, _ float64, sk *stats.Sketch) {
				if !bytes.Equal(sk.AppendBinary(nil), want[g]) {
					t.Fatalf("%v in a series %v: group %d's sketch holds values of a refused path (count %v)", bad, inSeries, g, sk.Count())
				}
			})
		}
	}
}

// TestAddWithin checks addWithin against its definition, bit for bit, for lengths around
// the vector width: the sums, and whether every value is within the bound, with one
// unusable value (NaN, an infinity, just beyond the bound) at every place.
func TestAddWithin(t *testing.T) {
	const bound = 1e300
	r := rand.New(rand.NewPCG(2, 3))
	for n := range 27 {
		for _, bad := range []float64{0, math.NaN(), math.Inf(-1), math.Nextafter(bound, math.Inf(1))} {
			for at := range max(n, 1) {
				sums, xs := make([]float64, n+3), make([]float64, n)
				for i := range sums {
					sums[i] = r.NormFloat64() * 1e3
				}
				for i := range xs {
					xs[i] = r.NormFloat64() * math.Exp(r.Float64()*20)
				}
				if n > 0 && bad != 0 {
					xs[at] = bad
				}
				want := slices.Clone(sums)
				for i, x := range xs {
					want[i] += x
				}
				wantWithin := allWithinScalar(xs, bound)
				got := slices.Clone(sums)
				if within := addWithin(got, xs, bound); within != wantWithin {
					t.Fatalf("n %d, %v at %d: within %v, want %v", n, bad, at, within, wantWithin)
				}
				for i := range want {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("n %d: sums[%d] = %v, want %v", n, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestAllWithin checks allWithin against its scalar form and the definition, with one
// unusable value (NaN, infinities, just beyond the bound) at every place of slices around
// the vector width, and with values exactly at the bound.
func TestAllWithin(t *testing.T) {
	const bound = 1e300
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Nextafter(bound, math.Inf(1)), -1e301, math.MaxFloat64} {
		for n := range 20 {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = float64(i) - 5
			}
			if n > 0 {
				xs[n/2] = -bound
				xs[n-1] = math.Copysign(0, -1)
			}
			if !allWithin(xs, bound) || !allWithinScalar(xs, bound) {
				t.Fatalf("%v: not within", xs)
			}
			for at := range n {
				ys := slices.Clone(xs)
				ys[at] = bad
				if allWithin(ys, bound) || allWithinScalar(ys, bound) {
					t.Fatalf("%v (n %d, at %d): within", bad, n, at)
				}
			}
		}
	}
}

// TestFiniteCheckNamesFirst checks that the finite check refuses a path with one unusable
// value anywhere and names the first of them, metrics before series, policy by policy;
// and lets a path of values at the bound through.
func TestFiniteCheckNamesFirst(t *testing.T) {
	policies := []string{"none", "qe", "spv"}
	l := newLayout(policies, 3)
	for _, tc := range []struct {
		name  string
		spoil func(res []sim.Result, days [][]float64)
		want  string
	}{
		{"none", func([]sim.Result, [][]float64) {}, ""},
		{"at the bound", func(res []sim.Result, days [][]float64) { res[1].Values[3], days[2][7] = -maxTallied, maxTallied }, ""},
		{"a metric", func(res []sim.Result, _ [][]float64) { res[1].Values[sim.PeakBasisBP] = math.NaN() },
			"path 9, policy qe: " + sim.Metrics[sim.PeakBasisBP].Name + " is NaN"},
		{"a series value", func(_ []sim.Result, days [][]float64) { days[2][11] = math.Inf(-1) },
			"path 9, policy spv: daily series value 11 is -Inf"},
		{"a metric before a series value", func(res []sim.Result, days [][]float64) {
			days[0][0] = math.NaN()
			res[2].Values[sim.NumMetrics-1] = 2e300
		}, "path 9, policy spv: " + sim.Metrics[sim.NumMetrics-1].Name + " is 2e+300"},
		{"the first series value", func(_ []sim.Result, days [][]float64) { days[1][14], days[1][2] = math.NaN(), math.Inf(1) },
			"path 9, policy qe: daily series value 2 is +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, days := syntheticPath(rand.New(rand.NewPCG(4, 5)), l, 9)
			tc.spoil(res, days)
			var f finiteCheck
			ok := f.visit(policies, res, days)
			got := ""
			if err := f.err(); err != nil {
				got = err.Error()
			}
			if ok != (tc.want == "") || got != tc.want {
				t.Errorf("visit = %v, error %q; want %q", ok, got, tc.want)
			}
		})
	}
}

// TestSplitAgreeing checks splitAgreeing against its definition for one to six policies,
// path counts around the vector width (16) and up to a full buffer, and columns where all,
// none or some paths agree (ZeroCode and codes of either sign among them); the vector form
// against the scalar one too.
func TestSplitAgreeing(t *testing.T) {
	for _, tc := range []struct {
		policies, n int
		agree       float64 // probability that a path's codes all agree
	}{
		{1, 5, 0}, {2, 0, 0.5}, {2, 1, 0}, {2, 16, 1}, {3, 13, 0.5}, {3, 64, 0.5},
		{3, 64, 0}, {3, 64, 1}, {4, 63, 0.3}, {6, 17, 0.8}, {2, 9, 0.5}, {3, 33, 0.5},
		{3, 48, 0.9},
	} {
		t.Run(fmt.Sprintf("policies%d_n%d_agree%v", tc.policies, tc.n, tc.agree), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.policies), uint64(tc.n)))
			code := func() int32 {
				return []int32{stats.ZeroCode, 1, 0, -3, int32(r.IntN(1000)) - 500}[r.IntN(5)]
			}
			const stride = tileGroups * bufferedPaths
			cols := make([]int32, tc.policies*stride)
			for i := range tc.n {
				x := code()
				for k := range tc.policies {
					cols[k*stride+i] = x
					if r.Float64() >= tc.agree {
						cols[k*stride+i] = code()
					}
				}
			}
			var wantAgreed []int32
			wantDiffer := make([][]int32, tc.policies)
			for i := range tc.n {
				same := true
				for k := range tc.policies {
					same = same && cols[k*stride+i] == cols[i]
				}
				if same {
					wantAgreed = append(wantAgreed, cols[i])
					continue
				}
				for k := range tc.policies {
					wantDiffer[k] = append(wantDiffer[k], cols[k*stride+i])
				}
			}
			for _, f := range []struct {
				name  string
				split func(cols []int32, stride, policies, n int, agreed []int32) (int, int)
			}{{"splitAgreeing", splitAgreeing}, {"splitAgreeingScalar", splitAgreeingScalar}} {
				got := slices.Clone(cols)
				agreed := make([]int32, bufferedPaths)
				na, nd := f.split(got, stride, tc.policies, tc.n, agreed)
				if !slices.Equal(agreed[:na], wantAgreed) {
					t.Fatalf("%s: agreed %v, want %v", f.name, agreed[:na], wantAgreed)
				}
				for k := range tc.policies {
					if differ := got[k*stride : k*stride+nd]; !slices.Equal(differ, wantDiffer[k]) {
						t.Fatalf("%s: policy %d differs on %v, want %v", f.name, k, differ, wantDiffer[k])
					}
				}
			}
		})
	}
}

// fold is foldRuns on one goroutine: group(g, sum, sk) is handed every group g in order.
func (c *chunkTally) fold(rows []sim.Result, group func(g int, sum float64, sk *stats.Sketch)) ([]stats.Moments, []stats.PairedAccumulator) {
	return c.foldRuns(rows, 1, func(_, g int, sum float64, sk *stats.Sketch) { group(g, sum, sk) })
}
