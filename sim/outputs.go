package sim

// Metric is one per-path output of docs/model.md section 7. The table Metrics is the single
// declaration of the output schema: the Parquet writer, the readers, the summary and the
// docs all take column names, units and types from it.
type Metric int

// PositionCutDay is the day whose end-of-day positions PositionCut compares with the
// initial ones: about a month, the horizon of the exposure-cut fact (Kruttli et al.).
const PositionCutDay = 20

// The per-path metrics, in column order.
const (
	StressJump Metric = iota
	PeakVolBP
	PeakFundingStress
	PeakBasisBP
	BasisAUCBPDays
	DaysDysfunction
	ForcedSalesBN
	TotalSalesBN
	HFEquityMinBN
	HFLossBN
	FundsDefaulted
	PeakCBHoldingsBN
	CBDV01PeakBNPerBP
	CBPnLBN
	SPVClosedDay
	PeakDealerUtilization
	OtherSalesBN
	PositionCut
	NumMetrics int = iota
)

// MetricInfo describes a metric column.
type MetricInfo struct {
	Name    string // snake_case column name
	Unit    string // unit, "" when dimensionless
	Integer bool   // stored as int32 rather than float64
	Doc     string // meaning, from docs/model.md
}

// Metrics describes every Metric, indexed by Metric.
var Metrics = [NumMetrics]MetricInfo{
	StressJump:            {"stress_jump", "log points", false, "J, the jump in log rate volatility at t = 0"},
	PeakVolBP:             {"peak_vol_bp", "bp/day", false, "maximum of sigma_t over the horizon"},
	PeakFundingStress:     {"peak_funding_stress", "index", false, "maximum of F_t over the horizon"},
	PeakBasisBP:           {"peak_basis_bp", "bp", false, "maximum end-of-day basis b_{t+1}"},
	BasisAUCBPDays:        {"basis_auc_bp_days", "bp x days", false, "sum over days of max(b_{t+1}, 0)"},
	DaysDysfunction:       {"days_dysfunction", "days", true, "days whose end-of-day basis exceeds b_dys"},
	ForcedSalesBN:         {"forced_sales_bn", "$bn", false, "forced sales: above capacity, lenders' liquidation, and (funds.forced_sales: reference) a fund's sales on its default day"},
	TotalSalesBN:          {"total_sales_bn", "$bn", false, "all fund sales S, forced and voluntary (gross of re-entry)"},
	HFEquityMinBN:         {"hf_equity_min_bn", "$bn", false, "minimum over days of total fund equity (a defaulted fund counts 0)"},
	HFLossBN:              {"hf_loss_bn", "$bn", false, "initial minus final total fund equity (a defaulted fund's final equity counts 0)"},
	FundsDefaulted:        {"funds_defaulted", "funds", true, "funds whose equity reached 0 or less"},
	PeakCBHoldingsBN:      {"peak_cb_holdings_bn", "$bn", false, "maximum central-bank holdings: Q for qe, M for spv"},
	CBDV01PeakBNPerBP:     {"cb_dv01_peak_bn_per_bp", "$bn/bp", false, "maximum central-bank DV01 (0 for spv by construction)"},
	CBPnLBN:               {"cb_pnl_bn", "$bn", false, "central-bank P&L at the horizon: qe's rate P&L; for spv, the central bank's share of the close (after the first-loss equity)"},
	SPVClosedDay:          {"spv_closed_day", "day", true, "day the SPV delivered and closed, -1 if never"},
	PeakDealerUtilization: {"peak_dealer_utilization", "fraction", false, "maximum end-of-day dealer inventory over capacity, I_{t+1}/K_t"},
	OtherSalesBN:          {"other_sales_bn", "$bn", false, "other sellers' outright cash sales, sum of O_t over the horizon (0 without a sellers block)"},
	PositionCut:           {"position_cut", "fraction", false, "share of the funds' initial position cut by the end of day 20 (the last day if the horizon is shorter), 1 - sum B_j / B0"},
}

// Series is a day-by-day quantity whose cross-path distribution goes into the bands.
type Series int

// The banded series.
const (
	SeriesBasis Series = iota
	SeriesSales
	SeriesCBHoldings
	SeriesDealerUtilization
	SeriesHFEquity
	NumSeries int = iota
)

// SeriesInfo describes a banded series.
type SeriesInfo struct {
	Name string // value of the bands' series column
	Unit string
	Doc  string
}

// SeriesTable describes every Series, indexed by Series.
var SeriesTable = [NumSeries]SeriesInfo{
	SeriesBasis:             {"basis_bp", "bp", "end-of-day basis b_{t+1}"},
	SeriesSales:             {"sales_bn", "$bn", "total fund sales S_t"},
	SeriesCBHoldings:        {"cb_holdings_bn", "$bn", "central-bank holdings after the day: Q or M"},
	SeriesDealerUtilization: {"dealer_utilization", "fraction", "end-of-day dealer inventory over capacity, I_{t+1}/K_t"},
	SeriesHFEquity:          {"hf_equity_bn", "$bn", "total fund equity after the day (a defaulted fund counts 0)"},
}

// Result is one path under one policy: the section 7 metrics and, when requested, the
// day-by-day series laid out as Days[s*T+t] for series s and day t.
type Result struct {
	Path   int64
	Policy int // index into the run's policy list
	Values [NumMetrics]float64
}
