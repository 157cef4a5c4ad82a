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
	Unit    string // unit in the data files (summary.csv's unit column), "" when dimensionless
	Integer bool   // stored as int32 rather than float64
	Label   string // in words for a reader, capitalized: figures' axes, summary.md's rows
	// AxisUnit is the unit as a figure's axis prints it ("" for a count): the same
	// quantity as Unit, in words where a symbol would puzzle ("bp × days").
	AxisUnit string
	// LowerIsBetter is true for a harm the policies are judged by (a basis, sales,
	// losses, defaults, the central bank's exposure); false for the shocks, which no
	// policy changes, and for what is better higher or only descriptive.
	LowerIsBetter bool
	Doc           string // meaning, from docs/model.md
}

// Metrics describes every Metric, indexed by Metric.
var Metrics = [NumMetrics]MetricInfo{
	StressJump: {Name: "stress_jump", Unit: "log points", Integer: false, Label: "Stress jump in log volatility", AxisUnit: "log points", LowerIsBetter: false,
		Doc: "J, the jump in log rate volatility at t = 0"},
	PeakVolBP: {Name: "peak_vol_bp", Unit: "bp/day", Integer: false, Label: "Peak rate volatility", AxisUnit: "bp/day", LowerIsBetter: false,
		Doc: "maximum of sigma_t over the horizon"},
	PeakFundingStress: {Name: "peak_funding_stress", Unit: "index", Integer: false, Label: "Peak funding stress", AxisUnit: "index", LowerIsBetter: false,
		Doc: "maximum of F_t over the horizon"},
	PeakBasisBP: {Name: "peak_basis_bp", Unit: "bp", Integer: false, Label: "Peak basis", AxisUnit: "bp", LowerIsBetter: true,
		Doc: "maximum end-of-day basis b_{t+1}"},
	BasisAUCBPDays: {Name: "basis_auc_bp_days", Unit: "bp x days", Integer: false, Label: "Basis above zero, summed over days", AxisUnit: "bp × days", LowerIsBetter: true,
		Doc: "sum over days of max(b_{t+1}, 0)"},
	DaysDysfunction: {Name: "days_dysfunction", Unit: "days", Integer: true, Label: "Days of market dysfunction", AxisUnit: "days", LowerIsBetter: true,
		Doc: "days whose end-of-day basis exceeds b_dys"},
	ForcedSalesBN: {Name: "forced_sales_bn", Unit: "$bn", Integer: false, Label: "Forced sales", AxisUnit: "$bn", LowerIsBetter: true,
		Doc: "forced sales: above capacity, lenders' liquidation, and (funds.forced_sales: reference) a fund's sales on its default day"},
	TotalSalesBN: {Name: "total_sales_bn", Unit: "$bn", Integer: false, Label: "Fund sales, forced and voluntary", AxisUnit: "$bn", LowerIsBetter: true,
		Doc: "all fund sales S, forced and voluntary (gross of re-entry)"},
	HFEquityMinBN: {Name: "hf_equity_min_bn", Unit: "$bn", Integer: false, Label: "Lowest total fund equity", AxisUnit: "$bn", LowerIsBetter: false,
		Doc: "minimum over days of total fund equity (a defaulted fund counts 0)"},
	HFLossBN: {Name: "hf_loss_bn", Unit: "$bn", Integer: false, Label: "Fund equity lost", AxisUnit: "$bn", LowerIsBetter: true,
		Doc: "initial minus final total fund equity (a defaulted fund's final equity counts 0)"},
	FundsDefaulted: {Name: "funds_defaulted", Unit: "funds", Integer: true, Label: "Funds defaulted", AxisUnit: "", LowerIsBetter: true,
		Doc: "funds whose equity reached 0 or less"},
	PeakCBHoldingsBN: {Name: "peak_cb_holdings_bn", Unit: "$bn", Integer: false, Label: "Peak central-bank holdings", AxisUnit: "$bn", LowerIsBetter: true,
		Doc: "maximum central-bank holdings: Q for qe, M for spv"},
	CBDV01PeakBNPerBP: {Name: "cb_dv01_peak_bn_per_bp", Unit: "$bn/bp", Integer: false, Label: "Peak central-bank DV01", AxisUnit: "$bn per bp", LowerIsBetter: true,
		Doc: "maximum central-bank DV01 (0 for spv by construction)"},
	CBPnLBN: {Name: "cb_pnl_bn", Unit: "$bn", Integer: false, Label: "Central-bank P&L at the horizon", AxisUnit: "$bn", LowerIsBetter: false,
		Doc: "central-bank P&L at the horizon: qe's rate P&L; for spv, the central bank's share of the close (after the first-loss equity)"},
	SPVClosedDay: {Name: "spv_closed_day", Unit: "day", Integer: true, Label: "Day the SPV closed", AxisUnit: "day", LowerIsBetter: false,
		Doc: "day the SPV delivered and closed, -1 if never"},
	PeakDealerUtilization: {Name: "peak_dealer_utilization", Unit: "fraction", Integer: false, Label: "Peak dealer utilization", AxisUnit: "inventory ÷ capacity, ratio", LowerIsBetter: true,
		Doc: "maximum end-of-day dealer inventory over capacity, I_{t+1}/K_t"},
	OtherSalesBN: {Name: "other_sales_bn", Unit: "$bn", Integer: false, Label: "Other sellers' cash sales", AxisUnit: "$bn", LowerIsBetter: false,
		Doc: "other sellers' outright cash sales, sum of O_t over the horizon (0 without a sellers block)"},
	PositionCut: {Name: "position_cut", Unit: "fraction", Integer: false, Label: "Share of the funds' position cut by day 20", AxisUnit: "fraction", LowerIsBetter: true,
		Doc: "share of the funds' initial position cut by the end of day 20 (the last day if the horizon is shorter), 1 - sum B_j / B0"},
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
	Name     string // value of the bands' series column
	Unit     string // unit in the data files
	Label    string // in words for a reader, as MetricInfo.Label
	AxisUnit string // unit as a figure's axis prints it, as MetricInfo.AxisUnit
	Doc      string
}

// SeriesTable describes every Series, indexed by Series.
var SeriesTable = [NumSeries]SeriesInfo{
	SeriesBasis:             {Name: "basis_bp", Unit: "bp", Label: "Basis", AxisUnit: "bp", Doc: "end-of-day basis b_{t+1}"},
	SeriesSales:             {Name: "sales_bn", Unit: "$bn", Label: "Fund sales", AxisUnit: "$bn", Doc: "total fund sales S_t"},
	SeriesCBHoldings:        {Name: "cb_holdings_bn", Unit: "$bn", Label: "Central-bank holdings", AxisUnit: "$bn", Doc: "central-bank holdings after the day: Q or M"},
	SeriesDealerUtilization: {Name: "dealer_utilization", Unit: "fraction", Label: "Dealer utilization", AxisUnit: "inventory ÷ capacity, ratio", Doc: "end-of-day dealer inventory over capacity, I_{t+1}/K_t"},
	SeriesHFEquity:          {Name: "hf_equity_bn", Unit: "$bn", Label: "Total fund equity", AxisUnit: "$bn", Doc: "total fund equity after the day (a defaulted fund counts 0)"},
}

// Result is one path under one policy: the section 7 metrics and, when requested, the
// day-by-day series laid out as Days[s*T+t] for series s and day t.
type Result struct {
	Path   int64
	Policy int // index into the run's policy list
	Values [NumMetrics]float64
}
