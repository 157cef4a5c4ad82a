package evaluate

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
)

// The summary does not depend on the worker count, and its means and paired effects are
// those of a full run of the same scenario (summary.csv and effects.csv), to rounding.
func TestMatchesFullRun(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths, cfg.Seed, cfg.Policies = 600, 5, []string{"none", "qe", "spv"}
	one, err := Run(context.Background(), cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	two, err := Run(context.Background(), cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, two) {
		t.Fatal("1 and 2 workers give different summaries")
	}
	full, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: t.TempDir(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for _, r := range full.Summary {
		k, m := index(one.Policies, r.Policy), metric(one, r.Metric)
		st := one.Stats[k][m]
		if !close(st.Mean, r.Mean) || !close(st.Lo, r.Lo) || !close(st.Hi, r.Hi) {
			t.Errorf("%s %s: mean %v [%v, %v], full run %v [%v, %v]", r.Policy, r.Metric, st.Mean, st.Lo, st.Hi, r.Mean, r.Lo, r.Hi)
		}
	}
	for _, r := range full.Effects {
		e := one.Pair(r.A, r.B)[metric(one, r.Metric)]
		if !close(e.Mean, r.Mean) || !close(e.Lo, r.Lo) || !close(e.Hi, r.Hi) {
			t.Errorf("%s - %s %s: %+v, full run %v [%v, %v]", r.A, r.B, r.Metric, e, r.Mean, r.Lo, r.Hi)
		}
		back := one.Pair(r.B, r.A)[metric(one, r.Metric)]
		if back.Mean != -e.Mean || back.Lo != -e.Hi || back.Hi != -e.Lo {
			t.Errorf("%s - %s reversed: %+v, want the negation of %+v", r.B, r.A, back, e)
		}
	}
	if len(full.Effects) == 0 {
		t.Fatal("the full run has no effects to compare")
	}
}

func index(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func metric(r *Result, name string) int {
	for i, m := range r.Metrics {
		if sim.Metrics[m].Name == name {
			return i
		}
	}
	return -1
}

// Paths gives the same values for any worker count, a value computed from the trace
// included, and simulates nothing when there is nothing to collect.
func TestPathsWorkers(t *testing.T) {
	cfg := configs.Baseline()
	netSales := func(_ *sim.Config, _ *sim.Shocks, tr *sim.Trace) float64 {
		x := 0.0
		for _, d := range tr.Days {
			x += d.Sales - d.Reentry
		}
		return x
	}
	cols := []Column{{Policy: "qe", Metric: sim.PeakBasisBP}, {Policy: "none", Of: netSales}, {Policy: "qe", Of: netSales}}
	tests := []struct {
		cols    []Column
		n       int
		workers []int
	}{
		{cols, 700, []int{1, 2, 3}},
		{cols[:1], 1, []int{1, 4}},
		{nil, 100, []int{1, 2}},
	}
	for _, tc := range tests {
		var first [][]float64
		for _, w := range tc.workers {
			vals, err := Paths(context.Background(), cfg, tc.cols, tc.n, 9, w)
			if err != nil {
				t.Fatal(err)
			}
			if len(vals) != len(tc.cols) {
				t.Fatalf("%d columns, want %d", len(vals), len(tc.cols))
			}
			for j := range vals {
				if len(vals[j]) != tc.n {
					t.Fatalf("column %d: %d values, want %d", j, len(vals[j]), tc.n)
				}
			}
			if first == nil {
				first = vals
			} else if !reflect.DeepEqual(first, vals) {
				t.Errorf("%d columns on %d paths: %d workers differ from %d", len(tc.cols), tc.n, w, tc.workers[0])
			}
		}
	}
	if _, err := Paths(context.Background(), cfg, []Column{{Policy: "fed"}}, 10, 1, 1); err == nil {
		t.Error("an unknown policy: no error")
	}
}
