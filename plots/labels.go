package plots

import "github.com/backstop-research/backstop/sim"

// Label names a quantity for a reader: in words, with its unit. Figures print it on axes,
// summary tables in their metric column.
type Label struct {
	Name string // words, capitalized, e.g. "Peak basis"
	Unit string // e.g. "bp", "$bn"; "" for a count or a pure number
}

// String returns the axis label: "Name (Unit)", or Name when there is no unit.
func (l Label) String() string {
	if l.Unit == "" {
		return l.Name
	}
	return l.Name + " (" + l.Unit + ")"
}

// Labels is the one table of axis labels, keyed by per-path metric column, band series or
// scenario key (as in configs/baseline.yaml). Run figures, sweep figures and summary.md
// take their labels from it, so a quantity is named the same everywhere; a new figure
// should add its quantities here rather than spell a label inline. The metrics' and
// series' labels come from their declarations in package sim (sim.Metrics,
// sim.SeriesTable); the scenario keys' are written here.
var Labels = withOutputLabels(map[string]Label{
	// Scenario keys, for sweep axes.
	"days":                {"Horizon", "business days"},
	"shocks.sigma_bar":    {"Long-run rate volatility σ", "bp/day"},
	"shocks.phi":          {"Persistence of log volatility φ", "per day"},
	"shocks.eta":          {"Volatility of log volatility η", "per day"},
	"shocks.mu_j":         {"Mean stress jump μ_J", "log points"},
	"shocks.s_j":          {"Std. dev. of the stress jump s_J", "log points"},
	"shocks.rho_f":        {"Persistence of funding stress ρ_F", "per day"},
	"shocks.beta_f":       {"Funding stress per unit of excess log volatility β_F", ""},
	"shocks.p_f":          {"Daily probability of a funding shock p_F", ""},
	"shocks.m_f":          {"Mean funding shock m_F", "units of F"},
	"shocks.omega":        {"Basis noise ω", "bp per bp/day"},
	"funds.n_funds":       {"Number of funds", ""},
	"funds.b0":            {"Basis-trade size B0", "$bn"},
	"funds.u_lo":          {"Thinnest equity buffer u_lo", "share above required capital"},
	"funds.u_hi":          {"Thickest equity buffer u_hi", "share above required capital"},
	"funds.h0":            {"Calm repo haircut h0", "fraction"},
	"funds.kappa_h":       {"Haircut per unit of funding stress κ_h", "fraction"},
	"funds.m0":            {"Calm futures margin m0", "fraction"},
	"funds.gamma_m":       {"Margin elasticity to volatility γ_m", ""},
	"funds.d_b":           {"Bundle duration to the basis D_b", "years"},
	"funds.alpha":         {"VaR quantile multiplier α", ""},
	"funds.v":             {"VaR limit v", "share of equity"},
	"funds.theta":         {"Voluntary deleveraging speed θ", "per day"},
	"funds.theta_up":      {"Re-entry speed θ_up", "per day"},
	"funds.l_days":        {"Days to liquidate a defaulted fund", "days"},
	"funds.carry":         {"Basis-trade carry", "bp/yr"},
	"funds.spread0":       {"Calm repo spread", "bp/yr"},
	"funds.kappa_s":       {"Repo spread per unit of funding stress κ_s", "bp/yr"},
	"market.k0":           {"Calm dealer capacity K0", "$bn"},
	"market.kappa_k":      {"Capacity loss per unit of funding stress κ_K", ""},
	"market.lambda0":      {"Calm price impact λ0", "bp per $bn"},
	"market.u_min":        {"Floor of spare dealer capacity u_min", "fraction"},
	"market.w_c":          {"Weight of cash sales in the push w_c", ""},
	"market.w_f":          {"Weight of futures buybacks in the push w_f", ""},
	"market.k":            {"Daily mean reversion of the basis k", "per day"},
	"market.b_floor":      {"Lower bound of the basis", "bp"},
	"market.b_init":       {"Basis at day 0", "bp"},
	"market.b_dys":        {"Dysfunction threshold", "bp"},
	"market.delta":        {"Daily dealer layoff to end investors δ", "per day"},
	"qe.trigger":          {"QE trigger", "bp"},
	"qe.weekly":           {"QE purchases a week W", "$bn"},
	"qe.q_max":            {"QE purchase cap", "$bn"},
	"qe.d_q":              {"Duration of QE purchases", "years"},
	"qe.lag":              {"QE lag after announcement", "days"},
	"qe.announce_theta":   {"Deleveraging factor after the QE announcement", ""},
	"spv.trigger":         {"SPV trigger", "bp"},
	"spv.t_exp":           {"SPV expiry day", "day"},
	"spv.capacity":        {"SPV capacity C", "$bn"},
	"spv.discount":        {"SPV auction discount d", "bp"},
	"spv.equity":          {"SPV first-loss equity share", "fraction"},
	"spv.announce_theta":  {"Deleveraging factor after the SPV announcement", ""},
	"srf.trigger":         {"SRF trigger", "bp"},
	"srf.haircut_cap":     {"SRF haircut cap", "fraction"},
	"srf.spread_cap":      {"SRF repo spread cap", "bp/yr"},
	"srf.announce_theta":  {"Deleveraging factor after the SRF opens", ""},
	"slr.trigger":         {"SLR relief trigger", "bp"},
	"slr.lag":             {"SLR relief lag", "days"},
	"slr.k0_relief":       {"SLR capacity relief", "$bn"},
	"slr.announce_theta":  {"Deleveraging factor after the SLR announcement", ""},
	"cap.level":           {"Basis the cap facility defends", "bp"},
	"cap.penalty":         {"Cap facility penalty", "bp"},
	"cap.capacity":        {"Cap facility capacity", "$bn"},
	"funds.buffer_stress": {"Buffer elasticity ψ to capital per $", ""},
	"sellers.vol":         {"Other sellers' sales per unit of excess log volatility", "$bn a day"},
	"sellers.funding":     {"Other sellers' sales per unit of funding stress", "$bn a day"},
	"repo.capacity":       {"Calm repo capacity L", "$bn"},
	"repo.kappa":          {"Repo capacity loss per unit of funding stress", ""},
})

// withOutputLabels adds the label of every per-path metric and band series to keys.
func withOutputLabels(keys map[string]Label) map[string]Label {
	for _, m := range sim.Metrics {
		keys[m.Name] = Label{m.Label, m.AxisUnit}
	}
	for _, s := range sim.SeriesTable {
		keys[s.Name] = Label{s.Label, s.AxisUnit}
	}
	return keys
}

// LabelOf returns the label of key from Labels, or the key itself as the name when the
// table does not know it.
func LabelOf(key string) Label {
	if l, ok := Labels[key]; ok {
		return l
	}
	return Label{Name: key}
}
