package run

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
)

// FigureOptions choose the formats and size of the figures (see plots.Options).
type FigureOptions = plots.Options

// MaxFigurePaths bounds the paths whose per-path metrics the distribution figures read:
// past a few hundred thousand, more paths change no histogram visibly but cost memory and
// time. The bands (fan charts) always cover every path.
const MaxFigurePaths = 250_000

// LoadInput reads what the figures need from the run in dir: bands.parquet, the per-path
// metric columns of every part under paths/ (up to MaxFigurePaths paths), the run's config
// from the Parquet footer, and the full-run means from summary.csv when it is there. It
// never simulates; a missing file or column is an error that names it.
func LoadInput(dir string) (*plots.Input, error) {
	return loadInput(dir, nil, nil, MaxFigurePaths)
}

// loadInput is LoadInput reading the per-path metrics of up to maxPaths paths. When mem is
// not nil, it holds those metrics already, gathered from the chunks as the run wrote them
// (figureRows); else when parts is not nil, it holds the columns of the run's first parts
// in path order (each with the path, policy and plots.MetricColumns columns), as the run
// read them for its convergence table. Either way the parts are not read again.
func loadInput(dir string, parts []*results.PathColumns, mem *figureMetrics, maxPaths int) (*plots.Input, error) {
	rows, md, err := results.ReadBands(dir)
	if err != nil {
		return nil, err
	}
	yml, ok := md[results.KeyConfig]
	if !ok {
		return nil, fmt.Errorf("%s: footer metadata lacks %q (not a backstop run, or one too old to redraw)", filepath.Join(dir, results.BandsFile), results.KeyConfig)
	}
	cfg, err := configs.DecodeRecorded([]byte(yml), filepath.Join(dir, results.BandsFile)+" footer")
	if err != nil {
		return nil, err
	}
	paths, err := footerPaths(dir, md, results.KeyPaths)
	if err != nil {
		return nil, err
	}
	// The paths drawn: under a precision target backstop.paths is the most paths, and
	// backstop.band_of_paths (absent before it was written) the paths drawn; a run
	// written before that key has them in its manifest.
	if _, ok := md[results.KeyBandOfPaths]; ok {
		if paths, err = footerPaths(dir, md, results.KeyBandOfPaths); err != nil {
			return nil, err
		}
	} else if m, err := results.ReadManifest(dir); err == nil && m.Status == results.StatusComplete && m.Paths > 0 && m.Paths < paths {
		paths = m.Paths
	}
	// The paths the band quantiles count (absent before the band subset: every path).
	var bandPaths int64
	if _, ok := md[results.KeyBandPaths]; ok {
		if bandPaths, err = footerPaths(dir, md, results.KeyBandPaths); err != nil {
			return nil, err
		}
	}
	in := &plots.Input{
		Scenario: cfg.Scenario, Paths: paths, BandPaths: bandPaths, Policies: cfg.Policies, Days: cfg.Days,
		NFunds: cfg.Funds.NFunds, BDys: cfg.Market.BDys, TExp: cfg.SPV.TExp,
		Bands:   map[string]map[string][]plots.BandPoint{},
		Metrics: map[string]map[string][]float64{},
		Means:   map[string]map[string]float64{},
	}
	if created, ok := md[results.KeyCreated]; ok {
		t, err := time.Parse(time.RFC3339, created)
		if err != nil {
			return nil, fmt.Errorf("%s: footer %s = %q is not an RFC 3339 time", filepath.Join(dir, results.BandsFile), results.KeyCreated, created)
		}
		in.Created = t
	}
	for _, r := range rows {
		if in.Bands[r.Policy] == nil {
			in.Bands[r.Policy] = map[string][]plots.BandPoint{}
		}
		in.Bands[r.Policy][r.Series] = append(in.Bands[r.Policy][r.Series], plots.BandPoint{
			Day: r.Day, Mean: r.Mean, P05: r.Q[0], P25: r.Q[1], P50: r.Q[2], P75: r.Q[3], P95: r.Q[4],
		})
	}
	fm := mem
	if fm == nil {
		if fm, err = figureMetricsFromParts(dir, cfg.Policies, parts, maxPaths*len(cfg.Policies)); err != nil {
			return nil, err
		}
	}
	for k, pol := range cfg.Policies {
		in.Metrics[pol] = map[string][]float64{}
		for c, name := range plots.MetricColumns {
			if col := fm.cols[k][c]; col != nil {
				in.Metrics[pol][name] = col
			}
		}
	}
	n := fm.rows
	in.SampledPaths = int64(n / len(cfg.Policies))
	conv, err := results.ReadConvergence(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist): // a run from before convergence.parquet: the figure says so
	case err != nil:
		return nil, err
	default:
		in.Convergence = map[string]map[string][]plots.ConvergencePoint{}
		for _, r := range conv {
			if in.Convergence[r.Policy] == nil {
				in.Convergence[r.Policy] = map[string][]plots.ConvergencePoint{}
			}
			in.Convergence[r.Policy][r.Metric] = append(in.Convergence[r.Policy][r.Metric], plots.ConvergencePoint{Paths: r.Paths, Mean: r.Mean, Lo: r.Lo, Hi: r.Hi})
		}
	}
	summary, err := results.ReadSummaryCSV(filepath.Join(dir, results.SummaryFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		for _, s := range summary {
			if in.Means[s.Policy] == nil {
				in.Means[s.Policy] = map[string]float64{}
			}
			in.Means[s.Policy][s.Metric] = s.Mean
		}
	}
	return in, nil
}

// DrawFigures redraws the figure set of the run in dir into dir/figures from its Parquet
// files alone, and returns the files written.
func DrawFigures(dir string, opt FigureOptions) ([]string, error) {
	return drawFigures(dir, opt, nil, nil)
}

// drawFigures is DrawFigures taking the per-path metrics from mem or parts when not nil
// (see loadInput).
func drawFigures(dir string, opt FigureOptions, parts []*results.PathColumns, mem *figureMetrics) ([]string, error) {
	in, err := loadInput(dir, parts, mem, MaxFigurePaths)
	if err != nil {
		return nil, err
	}
	return plots.WriteAll(in, filepath.Join(dir, results.FiguresDir), opt)
}

// footerPaths reads a path count from the footer key of dir's bands.parquet.
func footerPaths(dir string, md map[string]string, key string) (int64, error) {
	n, err := strconv.ParseInt(md[key], 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: footer %s = %q is not a path count", filepath.Join(dir, results.BandsFile), key, md[key])
	}
	return n, nil
}
