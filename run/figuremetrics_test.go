package run

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// TestFigureRowsEqualParts checks that the per-path metrics a run with figures gathers
// from its chunks in memory give the Input that reading its parts gives (the same figures,
// then), for runs of several chunks, of one, of two policies and stopped early by a
// precision target, and that a resumed run, whose first chunks are only checkpoints,
// reads its parts instead.
func TestFigureRowsEqualParts(t *testing.T) {
	base := t.TempDir()
	for _, tc := range []struct {
		name      string
		policies  []string
		paths     int
		opt       Options
		interrupt int64 // stop after this many chunks, then resume
	}{
		{name: "chunks", paths: 1500, opt: Options{ChunkSize: 400, Workers: 2}},
		{name: "one-chunk", paths: 700},
		{name: "two-policies", policies: []string{"spv", "none"}, paths: 900, opt: Options{ChunkSize: 300, Workers: 1}},
		{name: "target", paths: 50_000, opt: Options{ChunkSize: 500, Target: &Target{Metric: "peak_basis_bp", HalfWidth: 3}}},
		{name: "resumed", paths: 900, opt: Options{ChunkSize: 300}, interrupt: 2},
		// The convergence table reads the parts back (TestConvergenceFromChunksEqualsReadBack),
		// the figures do not.
		{name: "convergence-read-back", paths: 20, opt: Options{ChunkSize: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gotMem *figureMetrics
			var gotParts []*results.PathColumns
			drawRunFigures = func(dir string, opt FigureOptions, parts []*results.PathColumns, mem *figureMetrics) ([]string, error) {
				gotMem, gotParts = mem, parts
				return drawFigures(dir, opt, parts, mem)
			}
			defer func() { drawRunFigures = drawFigures }()
			cfg := configs.Baseline()
			cfg.Paths = tc.paths
			if tc.policies != nil {
				cfg.Policies = tc.policies
			}
			opt := tc.opt
			opt.Config, opt.OutDir, opt.Figures = cfg, filepath.Join(base, tc.name, "run"), true
			if tc.interrupt > 0 {
				if _, err := Execute(&cancelAfter{Context: context.Background(), n: tc.interrupt}, opt); err == nil {
					t.Fatal("the interrupted run finished")
				}
				opt.Resume = true
			}
			if _, err := Execute(context.Background(), opt); err != nil {
				t.Fatal(err)
			}
			if resumed := tc.interrupt > 0; (gotMem == nil) != resumed || (gotParts == nil) == resumed {
				t.Fatalf("figures drawn from memory %v, from parts read %v; want from parts only when resumed (%v)", gotMem != nil, gotParts != nil, resumed)
			}
			got, err := loadInput(opt.OutDir, gotParts, gotMem, MaxFigurePaths)
			if err != nil {
				t.Fatal(err)
			}
			want, err := loadInput(opt.OutDir, nil, nil, MaxFigurePaths)
			if err != nil {
				t.Fatal(err)
			}
			if want.SampledPaths == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("the figures' Input (%d paths) differs from the one read from the parts (%d paths)", got.SampledPaths, want.SampledPaths)
			}
		})
	}
}

// TestFigureRowsLimitAndOrder checks figureRows against figureMetricsFromParts on the same
// rows written as parts: a limit inside a chunk, at its end and beyond the rows, Integer
// metrics as the int32 a part stores; and that a chunk out of order, or fewer rows than
// the run's, give no result.
func TestFigureRowsLimitAndOrder(t *testing.T) {
	policies := []string{"none", "qe", "spv"}
	const paths, chunk = 10, 4 // chunks of 4, 4 and 2 paths
	rows := make([]sim.Result, paths*len(policies))
	for i := range rows {
		r := &rows[i]
		r.Path, r.Policy = int64(i/len(policies)), i%len(policies)
		for m := range r.Values {
			r.Values[m] = float64(i*100+m) + 0.75 // an Integer metric stores 0.75 less
		}
	}
	var parts []*results.PathColumns
	for c := 0; c*chunk < paths; c++ {
		part := rows[c*chunk*len(policies) : min((c+1)*chunk, paths)*len(policies)]
		pc := &results.PathColumns{Columns: map[string][]float64{}}
		for _, r := range part {
			pc.Path = append(pc.Path, r.Path)
			pc.Policy = append(pc.Policy, policies[r.Policy])
			for _, name := range plots.MetricColumns {
				for m, info := range sim.Metrics {
					if info.Name == name {
						v := r.Values[m]
						if info.Integer {
							v = float64(int32(v))
						}
						pc.Columns[name] = append(pc.Columns[name], v)
					}
				}
			}
		}
		parts = append(parts, pc)
	}
	for _, maxPaths := range []int{1, 3, 4, 5, 10, 11} {
		f, err := newFigureRows(policies, paths, maxPaths)
		if err != nil {
			t.Fatal(err)
		}
		for c := range parts {
			f.add(c, rows[c*chunk*len(policies):min((c+1)*chunk, paths)*len(policies)])
		}
		want, err := figureMetricsFromParts("run", policies, parts, maxPaths*len(policies))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.result(paths); got == nil || !reflect.DeepEqual(*got, *want) {
			t.Errorf("at most %d paths: gathered %+v, the parts give %+v", maxPaths, got, want)
		}
	}
	f, _ := newFigureRows(policies, paths, paths)
	f.add(0, rows[:chunk*len(policies)])
	if f.result(paths) != nil {
		t.Error("a result with a chunk missing")
	}
	f.add(2, rows[2*chunk*len(policies):])
	if f.result(paths) != nil || !f.declined {
		t.Error("a result with a chunk out of order")
	}
	var none *figureRows
	none.add(0, rows)
	if none.result(paths) != nil {
		t.Error("a result without figures")
	}
}
