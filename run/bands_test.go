package run_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// TestBandsCountTheSubset checks which paths the band quantiles count: for each
// output.band_paths, the quantiles of bands.parquet are those of sketches given the series
// of the paths i with i % stride == 0 and nothing else, the means are those of every path,
// and the manifest, the footer of bands.parquet and summary.md say which paths were
// counted. With band_paths at least the run's paths the bands are those of every path.
func TestBandsCountTheSubset(t *testing.T) {
	const n, seed = 3000, 5
	cfg := configs.Baseline()
	cfg.Paths, cfg.Seed = n, seed
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	T := cfg.Days
	groups := len(cfg.Policies) * sim.NumSeries * T
	// Every path's series, by group, from the sampler itself.
	series := make([][]float64, groups)
	for g := range series {
		series[g] = make([]float64, n)
	}
	s := &sim.Sampler{Model: model, Policies: cfg.Policies, Workers: 1, Seed: seed}
	if err := s.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, days [][]float64) {
		for k := range res {
			base := results.BandGroup(k, 0, 0, T)
			for i, x := range days[k] {
				series[base+i][res[0].Path] = x
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	var allBands []results.BandRow
	for _, tc := range []struct {
		name            string
		bandPaths       int
		stride, counted int64
		words           string
	}{
		{"0: every path", 0, 1, n, "bands from all 3,000 paths"},
		{"the run's paths", n, 1, n, "bands from all 3,000 paths"},
		{"more than the run's paths", 10 * n, 1, n, "bands from all 3,000 paths"},
		{"every 2nd", 1499, 2, 1500, "bands from 1,500 of 3,000 paths (every 2nd)"},
		{"every 4th", 700, 4, 750, "bands from 750 of 3,000 paths (every 4th)"},
		{"every 7th, a subset not aligned with the blocks", 400, 7, 429, "bands from 429 of 3,000 paths (every 7th)"},
		{"path 0 alone", 1, n, 1, "bands from 1 of 3,000 paths (every 3,000th)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(base, strconv.Itoa(tc.bandPaths))
			o := thinnedRun(t, dir, n, 2, 1000, seed, tc.bandPaths)
			bands, md, err := results.ReadBands(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range bands {
				k := indexOf(cfg.Policies, row.Policy)
				sr := seriesIndex(t, row.Series)
				g := results.BandGroup(k, sr, row.Day, T)
				sk := stats.NewSketch()
				sum := 0.0
				for i, x := range series[g] {
					sum += x
					if int64(i)%tc.stride == 0 {
						sk.Add(x)
					}
				}
				for q, bq := range results.BandQuantiles {
					if want := sk.Quantile(bq.P); row.Q[q] != want {
						t.Fatalf("%s %s day %d %s = %v, want %v (the sketch of every %d-th path)", row.Policy, row.Series, row.Day, bq.Column, row.Q[q], want, tc.stride)
					}
				}
				if want := sum / n; math.Abs(row.Mean-want) > 1e-12*max(1, math.Abs(want)) {
					t.Fatalf("%s %s day %d mean = %v, want %v (every path's)", row.Policy, row.Series, row.Day, row.Mean, want)
				}
			}
			if tc.bandPaths == 0 {
				allBands = bands
			} else if tc.stride == 1 && !reflect.DeepEqual(bands, allBands) {
				t.Fatal("bands with band_paths >= paths differ from the bands of every path")
			}
			bs := o.Manifest.Bands
			if bs == nil || bs.Stride != tc.stride || bs.Paths != tc.counted || bs.OfPaths != n {
				t.Fatalf("manifest bands = %+v, want stride %d, %d of %d paths", bs, tc.stride, tc.counted, n)
			}
			if bs.MCError == nil || !(*bs.MCError >= 0 && *bs.MCError <= 1) || bs.MCErrorAt == "" {
				if tc.counted > 1 {
					t.Fatalf("manifest bands' Monte Carlo error %v at %q: want a share of the series' scale", bs.MCError, bs.MCErrorAt)
				}
			}
			if md[results.KeyBandStride] != strconv.FormatInt(tc.stride, 10) || md[results.KeyBandPaths] != strconv.FormatInt(tc.counted, 10) || md[results.KeyBandOfPaths] != strconv.Itoa(n) {
				t.Fatalf("bands footer: stride %q, paths %q of %q; want %d and %d of %d", md[results.KeyBandStride], md[results.KeyBandPaths], md[results.KeyBandOfPaths], tc.stride, tc.counted, n)
			}
			if _, ok := md[results.KeyBandNote]; ok {
				t.Fatalf("bands footer of a run without a precision target has a note %q", md[results.KeyBandNote])
			}
			if bs.MCError != nil && md[results.KeyBandMCError] != strconv.FormatFloat(*bs.MCError, 'g', -1, 64) {
				t.Fatalf("bands footer error %q, manifest %v", md[results.KeyBandMCError], *bs.MCError)
			}
			report, err := os.ReadFile(filepath.Join(dir, results.ReportFile))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(report), tc.words) {
				t.Fatalf("summary.md does not say %q", tc.words)
			}
			// The error is an estimate (a two-standard-error bracket), never a bound; with
			// one path summary.md says it has none.
			_, section, _ := strings.Cut(string(report), "## Bands")
			if err := bs.ErrorWords(); !strings.Contains(section, "Monte Carlo error is "+err) || strings.Contains(section, "at most") {
				t.Fatalf("summary.md's bands section %q: want its error %q as an estimate", section, err)
			}
			if tc.counted == 1 && !strings.Contains(section, "not estimated") {
				t.Fatalf("summary.md's bands section of a 1-path subset %q does not say its error is not estimated", section)
			}
			// The figures know which paths the bands count.
			if in, err := run.LoadInput(dir); err != nil || in.Paths != n || in.BandPaths != tc.counted {
				t.Fatalf("figures' input: %v; want bands from %d of %d paths", err, tc.counted, n)
			}
			// backstop inspect says the same.
			var inspect strings.Builder
			if err := results.Inspect(dir, &inspect); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"quantiles: " + tc.words + "\n", "Monte Carlo error: " + bs.ErrorWords()} {
				if !strings.Contains(inspect.String(), want) {
					t.Fatalf("inspect does not say %q:\n%s", want, inspect.String())
				}
			}
		})
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

func seriesIndex(t *testing.T, name string) sim.Series {
	t.Helper()
	for s, info := range sim.SeriesTable {
		if info.Name == name {
			return sim.Series(s)
		}
	}
	t.Fatalf("unknown series %q", name)
	return 0
}
