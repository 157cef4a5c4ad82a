package plots

// Input is everything the figures draw, loaded from a run directory's Parquet files (the
// bands and the per-path rows) and manifest. The plots package never simulates and never
// reads files itself: package results loads an Input, so figures can be redrawn from any
// run on disk.
type Input struct {
	Scenario string   // scenario name, for titles
	Paths    int64    // number of simulated paths, for titles
	Policies []string // policy names in run order, e.g. none, qe, spv
	Days     int      // horizon T
	BDys     float64  // dysfunction threshold, bp (a line on the basis fan chart)
	TExp     int      // SPV expiry day (a marker on time charts)

	// Bands[policy][series] is the day-by-day distribution of a series across paths, one
	// BandPoint per day in day order. Series names: basis_bp, sales_bn, cb_holdings_bn,
	// dealer_utilization, hf_equity_bn.
	Bands map[string]map[string][]BandPoint

	// Metrics[policy][column] holds per-path values of a metric column (for example
	// peak_basis_bp, forced_sales_bn, funds_defaulted, cb_dv01_peak_bn_per_bp, cb_pnl_bn,
	// peak_cb_holdings_bn). For large runs it may be a deterministic subsample of paths;
	// the same index is the same path in every policy's slice (common random numbers).
	Metrics map[string]map[string][]float64
}

// BandPoint is one day of a band: the cross-path mean and quantiles of a series.
type BandPoint struct {
	Day                           int
	Mean, P05, P25, P50, P75, P95 float64
}
