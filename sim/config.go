package sim

import (
	"fmt"
	"math"
	"strings"
)

// Config is a fully resolved scenario: every parameter of docs/model.md with its value. The
// embedded configs/baseline.yaml is the single source of defaults; the yaml tags are the
// keys users write.
type Config struct {
	Scenario    string   `yaml:"scenario"`    // short name, used for the output directory
	Description string   `yaml:"description"` // one line for titles and reports
	Days        int      `yaml:"days"`        // T, business days simulated
	Paths       int      `yaml:"paths"`       // Monte Carlo paths
	Seed        uint64   `yaml:"seed"`        // master seed; path i's stream depends on (seed, i) only
	Policies    []string `yaml:"policies"`    // policies run on every path, in output order

	Shocks ShockParams  `yaml:"shocks"`
	Funds  FundParams   `yaml:"funds"`
	Market MarketParams `yaml:"market"`
	QE     QEParams     `yaml:"qe"`
	SPV    SPVParams    `yaml:"spv"`
	SRF    SRFParams    `yaml:"srf"`
	SLR    SLRParams    `yaml:"slr"`
	Cap    CapParams    `yaml:"cap"`

	// Sellers are the other sellers of cash Treasuries (docs/model-extensions.md); all
	// zero, the baseline, is docs/model.md: only the basis traders sell.
	Sellers SellerParams `yaml:"sellers"`
	// Repo is the dealers' repo lending capacity to the funds (docs/model-extensions.md);
	// capacity 0, the baseline, is docs/model.md: repo is priced (haircut, spread), never rationed.
	Repo RepoParams `yaml:"repo"`
}

// ShockParams are the parameters of docs/model.md section 2.
type ShockParams struct {
	SigmaBar float64 `yaml:"sigma_bar"` // long-run rate volatility, bp/day
	Phi      float64 `yaml:"phi"`       // AR(1) persistence of log volatility
	Eta      float64 `yaml:"eta"`       // volatility of log volatility, per day
	MuJ      float64 `yaml:"mu_j"`      // mean of the stress jump J in log volatility
	SJ       float64 `yaml:"s_j"`       // standard deviation of J
	RhoF     float64 `yaml:"rho_f"`     // persistence of funding stress
	BetaF    float64 `yaml:"beta_f"`    // loading of funding stress on excess log volatility
	PF       float64 `yaml:"p_f"`       // daily probability of a funding shock
	MF       float64 `yaml:"m_f"`       // mean size of a funding shock (exponential)
	Omega    float64 `yaml:"omega"`     // basis noise per bp/day of rate volatility
}

// Values of FundParams.ForcedSales.
const (
	ForcedReference = "reference"
	ForcedLiteral   = "literal"
)

// FundParams are the hedge-fund parameters of docs/model.md section 3.
type FundParams struct {
	NFunds  int     `yaml:"n_funds"`  // number of funds n_f
	B0      float64 `yaml:"b0"`       // total basis position, $bn
	ULo     float64 `yaml:"u_lo"`     // smallest equity buffer u_j
	UHi     float64 `yaml:"u_hi"`     // largest equity buffer u_j
	H0      float64 `yaml:"h0"`       // calm repo haircut, fraction
	KappaH  float64 `yaml:"kappa_h"`  // haircut per unit of funding stress, fraction
	M0      float64 `yaml:"m0"`       // calm futures initial margin, fraction
	GammaM  float64 `yaml:"gamma_m"`  // elasticity of margin to volatility
	DB      float64 `yaml:"d_b"`      // bundle price sensitivity to the basis, years
	Alpha   float64 `yaml:"alpha"`    // VaR quantile multiplier
	V       float64 `yaml:"v"`        // VaR limit as a fraction of equity
	Theta   float64 `yaml:"theta"`    // speed of voluntary deleveraging, per day
	ThetaUp float64 `yaml:"theta_up"` // speed of re-entry, per day
	LDays   int     `yaml:"l_days"`   // days lenders take to liquidate a defaulted fund
	Carry   float64 `yaml:"carry"`    // basis-trade carry, bp/yr
	Spread0 float64 `yaml:"spread0"`  // calm repo spread, bp/yr
	KappaS  float64 `yaml:"kappa_s"`  // repo spread per unit of funding stress, bp/yr

	// ForcedSales says which sales forced_sales_bn counts: ForcedReference (default) adds
	// a fund's voluntary sales on the day it defaults, as docs/model.md section 8's reference
	// implementation does; ForcedLiteral counts only sales above capacity and lenders'
	// liquidation (section 3 read literally). Accounting only: no dynamics change.
	ForcedSales string `yaml:"forced_sales"`

	// BufferStress lets the funds' buffers shrink as capital per $ rises (docs/model-
	// extensions.md): u_j,t = u_j min(1, (r_0 / r_t)^BufferStress). 0 is docs/model.md.
	BufferStress float64 `yaml:"buffer_stress"`
}

// MarketParams are the dealer, impact and basis parameters of docs/model.md section 4.
type MarketParams struct {
	K0      float64 `yaml:"k0"`      // calm dealer capacity, $bn
	KappaK  float64 `yaml:"kappa_k"` // capacity loss per unit of funding stress
	Lambda0 float64 `yaml:"lambda0"` // calm price impact, bp per $bn
	UMin    float64 `yaml:"u_min"`   // floor on spare dealer capacity in the impact formula
	WC      float64 `yaml:"w_c"`     // weight of net cash sales in the basis push
	WF      float64 `yaml:"w_f"`     // weight of net futures buybacks in the basis push
	K       float64 `yaml:"k"`       // daily mean reversion of the basis
	BFloor  float64 `yaml:"b_floor"` // lower bound of the basis, bp
	BInit   float64 `yaml:"b_init"`  // basis at t = 0, bp
	BDys    float64 `yaml:"b_dys"`   // dysfunction threshold, bp
	Delta   float64 `yaml:"delta"`   // daily layoff of dealer inventory to end investors
}

// QEParams are the outright-purchase parameters of docs/model.md section 5.
type QEParams struct {
	Trigger float64 `yaml:"trigger"` // buys while the basis exceeds this, bp
	Weekly  float64 `yaml:"weekly"`  // purchases per week W, $bn (a day buys W/5)
	QMax    float64 `yaml:"q_max"`   // cap on total purchases, $bn
	DQ      float64 `yaml:"d_q"`     // duration of purchased Treasuries, years
	Lag     int     `yaml:"lag"`     // days from the announcement (first trigger) to the first purchase
	// AnnounceTheta multiplies the funds' voluntary selling speed theta from the
	// announcement on: 1 is no announcement effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
	// Source is where outright purchases come from: QESales (docs/model.md) buys only from the
	// day's fund sales, P_t <= S; QEMarket buys from the market, the funds' net sales and
	// the dealers' inventory, P_t <= max(S - R, 0) + I_t, as the Fed did in March 2020.
	Source string `yaml:"source"`
	// Schedule, when not empty, replaces Weekly/5 by a daily cap per day of the programme:
	// Schedule[i] on the i-th business day from the first purchase day (announcement +
	// Lag), the last entry from then on (docs/model-extensions.md).
	Schedule []float64 `yaml:"schedule"`
}

// Values of QEParams.Source.
const (
	QESales  = "sales"
	QEMarket = "market"
)

// SPVParams are the backstop's parameters of docs/model.md section 5.
type SPVParams struct {
	Trigger  float64 `yaml:"trigger"`  // buys while the basis exceeds this, bp
	TExp     int     `yaml:"t_exp"`    // futures expiry day: no purchases from it on; closes on it
	Capacity float64 `yaml:"capacity"` // cap on bundle holdings C, $bn
	Discount float64 `yaml:"discount"` // auction discount d to the market basis, bp
	Equity   float64 `yaml:"equity"`   // first-loss equity share eq of the SPV
	// AnnounceTheta multiplies theta from the announcement until t_exp: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// SRFParams are the standing repo facility's parameters: from the first day the basis
// exceeds Trigger it caps the funds' repo haircut and spread.
type SRFParams struct {
	Trigger    float64 `yaml:"trigger"`     // opens on the first day the basis exceeds this, bp
	HaircutCap float64 `yaml:"haircut_cap"` // highest haircut h_t once open, fraction
	SpreadCap  float64 `yaml:"spread_cap"`  // highest repo spread once open, bp/yr
	// AnnounceTheta multiplies theta from the opening on: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// SLRParams are the dealer capital relief's parameters: Lag days after the first day the
// basis exceeds Trigger, dealer capacity K0 rises by K0Relief.
type SLRParams struct {
	Trigger  float64 `yaml:"trigger"`   // announced on the first day the basis exceeds this, bp
	Lag      int     `yaml:"lag"`       // days from the announcement to the relief
	K0Relief float64 `yaml:"k0_relief"` // added to calm dealer capacity K0, $bn
	// AnnounceTheta multiplies theta from the announcement on: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// CapParams are the standing basis-cap facility's parameters: it buys the hedged bundles
// that would carry the basis above Level, at the price of a basis of Level + Penalty.
type CapParams struct {
	Level    float64 `yaml:"level"`    // the basis the facility defends, bp
	Penalty  float64 `yaml:"penalty"`  // it pays the bundle price at a basis of level + penalty, bp
	Capacity float64 `yaml:"capacity"` // cap on bundle holdings, $bn
	TExp     int     `yaml:"t_exp"`    // first futures expiry: bundles bought before it are delivered on it
	Roll     int     `yaml:"roll"`     // days between futures expiries (63: quarterly)
	// AnnounceTheta multiplies theta on every day, the facility being standing: 1 is no effect.
	AnnounceTheta float64 `yaml:"announce_theta"`
}

// SellerParams are the other sellers: unlevered holders (foreign official and private
// holders, mutual funds) who sell cash Treasuries outright, with no futures leg, more as
// the stress rises: O_t = Vol max(0, log(sigma_t / sigma_bar)) + Funding F_t, $bn a day
// (docs/model-extensions.md).
type SellerParams struct {
	Vol     float64 `yaml:"vol"`     // $bn a day per unit of excess log rate volatility
	Funding float64 `yaml:"funding"` // $bn a day per unit of funding stress F_t
}

// On reports whether the other sellers sell at all.
func (p *SellerParams) On() bool { return p.Vol != 0 || p.Funding != 0 }

// RepoParams ration the quantity of repo (docs/model-extensions.md): dealers lend the
// funds at most L_t = Capacity / (1 + Kappa F_t) in all, shared in proportion to their
// initial positions. Capacity 0 means no limit.
type RepoParams struct {
	Capacity float64 `yaml:"capacity"` // calm repo lending capacity to the funds, $bn (0: unlimited)
	Kappa    float64 `yaml:"kappa"`    // capacity loss per unit of funding stress F_t
}

// FieldError is a configuration value outside what is allowed. Key is the dotted YAML key.
type FieldError struct {
	Key     string
	Value   any
	Allowed string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %v is not allowed; %s", e.Key, e.Value, e.Allowed)
}

// Validate returns the first value that is out of range, as a *FieldError naming the key,
// the value and what is allowed, or nil when the configuration can be simulated.
func (c *Config) Validate() error {
	v := validator{}
	v.check("scenario", c.Scenario, ValidName(c.Scenario), "use 1-64 letters, digits, '-', '_' or '.' (it names the output directory)")
	v.intRange("days", c.Days, 1, MaxDays)
	v.intRange("paths", c.Paths, 1, MaxPaths)
	if len(c.Policies) == 0 {
		v.fail("policies", "[]", "list at least one of "+strings.Join(PolicyNames(), ", "))
	}
	seen := map[string]bool{}
	for i, p := range c.Policies {
		key := fmt.Sprintf("policies[%d]", i)
		if !IsPolicy(p) {
			v.fail(key, p, "use one of "+strings.Join(PolicyNames(), ", "))
		} else if seen[p] {
			v.fail(key, p, "each policy may appear once")
		}
		seen[p] = true
	}

	s := &c.Shocks
	v.positive("shocks.sigma_bar", s.SigmaBar)
	v.atMost("shocks.sigma_bar", s.SigmaBar, 1e4)
	v.between("shocks.phi", s.Phi, 0, 1, false)
	v.nonNegative("shocks.eta", s.Eta)
	v.atMost("shocks.eta", s.Eta, maxLogVol)
	v.between("shocks.mu_j", s.MuJ, -maxLogVol, maxLogVol, true)
	v.nonNegative("shocks.s_j", s.SJ)
	v.atMost("shocks.s_j", s.SJ, maxLogVol)
	v.between("shocks.rho_f", s.RhoF, 0, 1, false)
	v.nonNegative("shocks.beta_f", s.BetaF)
	v.between("shocks.p_f", s.PF, 0, 1, true)
	v.nonNegative("shocks.m_f", s.MF)
	v.nonNegative("shocks.omega", s.Omega)

	f := &c.Funds
	v.intRange("funds.n_funds", f.NFunds, 1, MaxFunds)
	v.positive("funds.b0", f.B0)
	v.atMost("funds.b0", f.B0, maxBn)
	v.nonNegative("funds.u_lo", f.ULo)
	v.nonNegative("funds.u_hi", f.UHi)
	if f.UHi < f.ULo {
		v.fail("funds.u_hi", f.UHi, fmt.Sprintf("must be at least funds.u_lo (%v)", f.ULo))
	}
	v.fraction("funds.h0", f.H0)
	v.nonNegative("funds.kappa_h", f.KappaH)
	v.fraction("funds.m0", f.M0)
	if f.H0+f.M0 <= 0 {
		v.fail("funds.m0", f.M0, "funds.h0 + funds.m0 must be positive (capital per $ of position)")
	}
	v.nonNegative("funds.gamma_m", f.GammaM)
	v.positive("funds.d_b", f.DB)
	v.positive("funds.alpha", f.Alpha)
	v.positive("funds.v", f.V)
	v.between("funds.theta", f.Theta, 0, 1, true)
	v.between("funds.theta_up", f.ThetaUp, 0, 1, true)
	v.intMin("funds.l_days", f.LDays, 1)
	v.finite("funds.carry", f.Carry)
	v.finite("funds.spread0", f.Spread0)
	v.nonNegative("funds.kappa_s", f.KappaS)
	v.check("funds.forced_sales", f.ForcedSales, f.ForcedSales == ForcedReference || f.ForcedSales == ForcedLiteral,
		"use "+ForcedReference+" (a defaulting fund's sales on its default day count as forced, as docs/model.md section 8) or "+ForcedLiteral+" (section 3 read literally)")

	m := &c.Market
	v.positive("market.k0", m.K0)
	v.atMost("market.k0", m.K0, maxBn)
	v.nonNegative("market.kappa_k", m.KappaK)
	v.nonNegative("market.lambda0", m.Lambda0)
	v.between("market.u_min", m.UMin, 0, 1, true)
	if m.UMin <= 0 {
		v.fail("market.u_min", m.UMin, "must be in (0, 1]: impact is lambda0 / max(u_min, 1 - I/K)")
	}
	v.nonNegative("market.w_c", m.WC)
	v.nonNegative("market.w_f", m.WF)
	v.between("market.k", m.K, 0, 1, true)
	v.finite("market.b_floor", m.BFloor)
	v.finite("market.b_init", m.BInit)
	if m.BInit < m.BFloor {
		v.fail("market.b_init", m.BInit, fmt.Sprintf("must be at least market.b_floor (%v)", m.BFloor))
	}
	v.finite("market.b_dys", m.BDys)
	v.between("market.delta", m.Delta, 0, 1, true)

	v.finite("qe.trigger", c.QE.Trigger)
	v.nonNegative("qe.weekly", c.QE.Weekly)
	v.atMost("qe.weekly", c.QE.Weekly, maxBn)
	v.nonNegative("qe.q_max", c.QE.QMax)
	v.atMost("qe.q_max", c.QE.QMax, maxBn)
	v.nonNegative("qe.d_q", c.QE.DQ)
	v.intMin("qe.lag", c.QE.Lag, 0)
	v.announceTheta("qe.announce_theta", c.QE.AnnounceTheta)
	v.check("qe.source", c.QE.Source, c.QE.Source == QESales || c.QE.Source == QEMarket,
		"use "+QESales+" (buys only from the day's fund sales, docs/model.md) or "+QEMarket+" (from fund sales and dealer inventory)")
	for i, x := range c.QE.Schedule {
		v.nonNegative(fmt.Sprintf("qe.schedule[%d]", i), x)
	}

	v.finite("spv.trigger", c.SPV.Trigger)
	v.intMin("spv.t_exp", c.SPV.TExp, 0)
	v.nonNegative("spv.capacity", c.SPV.Capacity)
	v.atMost("spv.capacity", c.SPV.Capacity, maxBn)
	v.nonNegative("spv.discount", c.SPV.Discount)
	v.fraction("spv.equity", c.SPV.Equity)
	v.announceTheta("spv.announce_theta", c.SPV.AnnounceTheta)

	v.finite("srf.trigger", c.SRF.Trigger)
	v.fraction("srf.haircut_cap", c.SRF.HaircutCap)
	v.finite("srf.spread_cap", c.SRF.SpreadCap)
	v.announceTheta("srf.announce_theta", c.SRF.AnnounceTheta)

	v.finite("slr.trigger", c.SLR.Trigger)
	v.intMin("slr.lag", c.SLR.Lag, 0)
	v.nonNegative("slr.k0_relief", c.SLR.K0Relief)
	v.atMost("slr.k0_relief", c.SLR.K0Relief, maxBn)
	v.announceTheta("slr.announce_theta", c.SLR.AnnounceTheta)

	v.finite("cap.level", c.Cap.Level)
	v.nonNegative("cap.penalty", c.Cap.Penalty)
	v.nonNegative("cap.capacity", c.Cap.Capacity)
	v.atMost("cap.capacity", c.Cap.Capacity, maxBn)
	v.intMin("cap.t_exp", c.Cap.TExp, 0)
	v.intMin("cap.roll", c.Cap.Roll, 1)
	v.announceTheta("cap.announce_theta", c.Cap.AnnounceTheta)

	v.nonNegative("funds.buffer_stress", f.BufferStress)
	v.nonNegative("sellers.vol", c.Sellers.Vol)
	v.nonNegative("sellers.funding", c.Sellers.Funding)
	v.nonNegative("repo.capacity", c.Repo.Capacity)
	v.nonNegative("repo.kappa", c.Repo.Kappa)
	return v.err
}

// Bounds on a config's sizes and magnitudes: beyond them a run would not fit in memory,
// or its values would overflow, long before it told anyone anything.
const (
	MaxDays  = 2520          // ten years of business days
	MaxPaths = 1_000_000_000 // a billion paths
	MaxFunds = 10_000
	// maxLogVol bounds the log-volatility shocks: e^10 is a volatility 22,000 times its mean.
	maxLogVol = 10
	// maxBn bounds positions and capacities in $bn: $1 quadrillion.
	maxBn = 1e6
)

// validator keeps the first failure so Validate reads as a list of rules.
type validator struct{ err error }

func (v *validator) fail(key string, value any, allowed string) {
	if v.err == nil {
		v.err = &FieldError{Key: key, Value: value, Allowed: allowed}
	}
}

func (v *validator) check(key string, value any, ok bool, allowed string) {
	if !ok {
		v.fail(key, value, allowed)
	}
}

func (v *validator) finite(key string, x float64) {
	v.check(key, x, !math.IsNaN(x) && !math.IsInf(x, 0), "must be a finite number")
}

func (v *validator) positive(key string, x float64) {
	v.finite(key, x)
	v.check(key, x, x > 0, "must be greater than 0")
}

func (v *validator) nonNegative(key string, x float64) {
	v.finite(key, x)
	v.check(key, x, x >= 0, "must be 0 or more")
}

// fraction accepts [0, 1): haircuts, margins and equity shares of 1 or more make no sense.
func (v *validator) fraction(key string, x float64) {
	v.finite(key, x)
	v.check(key, x, x >= 0 && x < 1, "must be in [0, 1)")
}

// announceTheta accepts [0, 1]: a credible backstop slows voluntary selling, never speeds it.
func (v *validator) announceTheta(key string, x float64) {
	v.finite(key, x)
	v.check(key, x, x >= 0 && x <= 1, "must be in [0, 1] (1 = no announcement effect, 0 = no voluntary selling once announced)")
}

func (v *validator) between(key string, x, lo, hi float64, closed bool) {
	v.finite(key, x)
	if closed {
		v.check(key, x, x >= lo && x <= hi, fmt.Sprintf("must be in [%v, %v]", lo, hi))
	} else {
		v.check(key, x, x >= lo && x < hi, fmt.Sprintf("must be in [%v, %v)", lo, hi))
	}
}

func (v *validator) atMost(key string, x, hi float64) {
	v.check(key, x, x <= hi, fmt.Sprintf("must be at most %g", hi))
}

func (v *validator) intRange(key string, n, lo, hi int) {
	v.check(key, n, n >= lo && n <= hi, fmt.Sprintf("must be an integer from %d to %d", lo, hi))
}

func (v *validator) intMin(key string, n, min int) {
	v.check(key, n, n >= min, fmt.Sprintf("must be an integer of at least %d", min))
}

// ValidName reports whether s may name a scenario: 1 to 64 letters, digits, '-', '_' or
// '.', and not "." or "..", since it names an output directory.
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > 64 || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		ok := r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}
