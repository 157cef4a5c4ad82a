package run_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// BenchmarkLoadInput measures reading what the figures need from a 100,000-path run:
// the bands, six per-path metric columns of every part, the convergence and the summary.
func BenchmarkLoadInput(b *testing.B) {
	cfg := configs.Baseline()
	cfg.Paths = 100_000
	dir := filepath.Join(b.TempDir(), "run")
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := run.LoadInput(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadInputMetricsFollowRows checks LoadInput's per-policy metric columns against the
// per-path rows read back by results: for every policy, column and row, in row order.
func TestLoadInputMetricsFollowRows(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	smallRun(t, dir, 1500, 2, 500, 3)
	in, err := run.LoadInput(dir)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := results.ReadPathColumnsUpTo(dir, plots.MetricColumns, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range plots.MetricColumns {
		want := map[string][]float64{}
		for i, pol := range pc.Policy {
			want[pol] = append(want[pol], pc.Columns[c][i])
		}
		for _, pol := range configs.Baseline().Policies {
			if got := in.Metrics[pol][c]; len(got) != 1500 || !reflect.DeepEqual(got, want[pol]) {
				t.Errorf("%s %s: LoadInput has %d values, not the %d rows' values in order", pol, c, len(got), len(want[pol]))
			}
		}
	}
}
