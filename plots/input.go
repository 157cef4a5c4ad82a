package plots

import (
	"time"

	"github.com/backstop-research/backstop/sim"
)

// Input is everything the figures draw, loaded from a run directory's Parquet files (the
// bands and the per-path rows) and manifest. The plots package never simulates and never
// reads files itself: package run loads an Input (run.LoadInput), so figures can be redrawn
// from any run on disk.
type Input struct {
	Scenario string   // scenario name, for titles
	Paths    int64    // number of paths drawn, for titles
	Policies []string // policy names in run order, e.g. none, qe, spv
	Days     int      // horizon T
	NFunds   int      // number of funds, the range of funds_defaulted
	BDys     float64  // dysfunction threshold, bp (a line on the basis fan chart)
	TExp     int      // SPV expiry day (a marker on time charts)

	// Created is when the run was made; it dates the PDFs (see Options.Date), so redrawing
	// a run gives the same files. Zero dates them at drawing.
	Created time.Time

	// BandPaths is the number of paths the quantiles of Bands count, an evenly spread
	// subset of Paths (bands.parquet's footer); 0 when they count every path. The fan
	// charts' titles say it when it is a subset.
	BandPaths int64

	// Bands[policy][series] is the day-by-day distribution of a series across paths, one
	// BandPoint per day in day order. Series names: basis_bp, sales_bn, cb_holdings_bn,
	// dealer_utilization, hf_equity_bn.
	Bands map[string]map[string][]BandPoint

	// Metrics[policy][column] holds per-path values of a metric column (for example
	// peak_basis_bp, forced_sales_bn, funds_defaulted, cb_dv01_peak_bn_per_bp, cb_pnl_bn,
	// peak_cb_holdings_bn). For large runs it may hold only the first SampledPaths paths,
	// an unbiased sample since every path's shocks are independent; index i is the same
	// path in every policy's slice (common random numbers).
	Metrics map[string]map[string][]float64

	// SampledPaths is the number of paths in each Metrics slice (Paths when all were read).
	SampledPaths int64

	// Convergence[policy][column] is the running mean of a metric over the first n paths
	// with its 95% CI, at increasing n (from convergence.parquet); nil for runs without it.
	Convergence map[string]map[string][]ConvergencePoint

	// Means[policy][column], when set, are the full run's means (from summary.csv); the
	// figures mark them, falling back to the mean of Metrics when a mean is absent.
	Means map[string]map[string]float64
}

// ConvergencePoint is a metric's mean over the first Paths paths, with its 95% CI.
type ConvergencePoint struct {
	Paths        int64
	Mean, Lo, Hi float64
}

// BandPoint is one day of a band: the cross-path mean and quantiles of a series.
type BandPoint struct {
	Day                           int
	Mean, P05, P25, P50, P75, P95 float64
}

// The per-path metric columns the figures read, named as sim.Metrics declares them.
var (
	ColPeakBasis     = sim.Metrics[sim.PeakBasisBP].Name
	ColForcedSales   = sim.Metrics[sim.ForcedSalesBN].Name
	ColFundsDefault  = sim.Metrics[sim.FundsDefaulted].Name
	ColPeakCBHolding = sim.Metrics[sim.PeakCBHoldingsBN].Name
	ColCBDV01        = sim.Metrics[sim.CBDV01PeakBNPerBP].Name
	ColCBPnL         = sim.Metrics[sim.CBPnLBN].Name
)

// MetricColumns lists the per-path columns an Input's Metrics must hold for WriteAll.
var MetricColumns = []string{ColPeakBasis, ColForcedSales, ColFundsDefault, ColPeakCBHolding, ColCBDV01, ColCBPnL}

// The band series the figures read, named as sim.SeriesTable declares them.
var (
	SeriesBasis     = sim.SeriesTable[sim.SeriesBasis].Name
	SeriesCBHolding = sim.SeriesTable[sim.SeriesCBHoldings].Name
)

// mean returns the run mean of column for policy: Means when known, else the sample mean.
func (in *Input) mean(policy, column string) float64 {
	if m, ok := in.Means[policy][column]; ok {
		return m
	}
	v := in.Metrics[policy][column]
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// sampleNote says, for titles, when the per-path figures show a sample of a larger run.
func (in *Input) sampleNote() string {
	if in.SampledPaths > 0 && in.SampledPaths < in.Paths {
		return " (histograms: first " + thousands(in.SampledPaths) + ")"
	}
	return ""
}
