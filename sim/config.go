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

	// Output are settings of the outputs that leave the simulated paths alone.
	Output OutputParams `yaml:"output"`
}

// OutputParams are settings of a run's outputs, not of the model.
type OutputParams struct {
	// BandPaths thins bands.parquet: its quantiles count every k-th path from path 0,
	// k = max(1, paths / BandPaths), so at least BandPaths paths (all of them when paths
	// <= BandPaths), the same subset for any worker count, chunk size, shard layout or
	// resume. 0 counts every path, and so does a run with a precision target (package run),
	// whose paths are not known when it starts.
	BandPaths int `yaml:"band_paths"`
}

// BandStride is the stride of the band subset of a run of paths paths: bands count path i
// iff i % stride == 0 (see OutputParams.BandPaths).
func (p OutputParams) BandStride(paths int) int {
	if p.BandPaths <= 0 {
		return 1
	}
	return max(1, paths/p.BandPaths)
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
	v := &Validator{}
	v.Check("scenario", c.Scenario, ValidName(c.Scenario), "use 1-64 letters, digits, '-', '_' or '.' (it names the output directory)")
	v.IntRange("days", c.Days, 1, MaxDays)
	v.IntRange("paths", c.Paths, 1, MaxPaths)
	if len(c.Policies) == 0 {
		v.Fail("policies", "[]", "list at least one of "+strings.Join(PolicyNames(), ", "))
	}
	seen := map[string]bool{}
	for i, p := range c.Policies {
		key := fmt.Sprintf("policies[%d]", i)
		if !IsPolicy(p) {
			v.Fail(key, p, "use one of "+strings.Join(PolicyNames(), ", "))
		} else if seen[p] {
			v.Fail(key, p, "each policy may appear once")
		}
		seen[p] = true
	}

	s := &c.Shocks
	v.Positive("shocks.sigma_bar", s.SigmaBar)
	v.AtMost("shocks.sigma_bar", s.SigmaBar, 1e4)
	v.Between("shocks.phi", s.Phi, 0, 1, false)
	v.NonNegative("shocks.eta", s.Eta)
	v.AtMost("shocks.eta", s.Eta, maxLogVol)
	v.Between("shocks.mu_j", s.MuJ, -maxLogVol, maxLogVol, true)
	v.NonNegative("shocks.s_j", s.SJ)
	v.AtMost("shocks.s_j", s.SJ, maxLogVol)
	v.Between("shocks.rho_f", s.RhoF, 0, 1, false)
	v.NonNegative("shocks.beta_f", s.BetaF)
	v.Between("shocks.p_f", s.PF, 0, 1, true)
	v.NonNegative("shocks.m_f", s.MF)
	v.NonNegative("shocks.omega", s.Omega)

	f := &c.Funds
	v.IntRange("funds.n_funds", f.NFunds, 1, MaxFunds)
	v.Positive("funds.b0", f.B0)
	v.AtMost("funds.b0", f.B0, maxBn)
	v.NonNegative("funds.u_lo", f.ULo)
	v.NonNegative("funds.u_hi", f.UHi)
	if f.UHi < f.ULo {
		v.Fail("funds.u_hi", f.UHi, fmt.Sprintf("must be at least funds.u_lo (%v)", f.ULo))
	}
	v.Fraction("funds.h0", f.H0)
	v.NonNegative("funds.kappa_h", f.KappaH)
	v.Fraction("funds.m0", f.M0)
	if f.H0+f.M0 <= 0 {
		v.Fail("funds.m0", f.M0, "funds.h0 + funds.m0 must be positive (capital per $ of position)")
	}
	v.NonNegative("funds.gamma_m", f.GammaM)
	v.Positive("funds.d_b", f.DB)
	v.Positive("funds.alpha", f.Alpha)
	v.Positive("funds.v", f.V)
	v.Between("funds.theta", f.Theta, 0, 1, true)
	v.Between("funds.theta_up", f.ThetaUp, 0, 1, true)
	v.IntMin("funds.l_days", f.LDays, 1)
	v.Finite("funds.carry", f.Carry)
	v.Finite("funds.spread0", f.Spread0)
	v.NonNegative("funds.kappa_s", f.KappaS)
	v.Check("funds.forced_sales", f.ForcedSales, f.ForcedSales == ForcedReference || f.ForcedSales == ForcedLiteral,
		"use "+ForcedReference+" (a defaulting fund's sales on its default day count as forced, as docs/model.md section 8) or "+ForcedLiteral+" (section 3 read literally)")

	m := &c.Market
	v.Positive("market.k0", m.K0)
	v.AtMost("market.k0", m.K0, maxBn)
	v.NonNegative("market.kappa_k", m.KappaK)
	v.NonNegative("market.lambda0", m.Lambda0)
	v.Between("market.u_min", m.UMin, 0, 1, true)
	if m.UMin <= 0 {
		v.Fail("market.u_min", m.UMin, "must be in (0, 1]: impact is lambda0 / max(u_min, 1 - I/K)")
	}
	v.NonNegative("market.w_c", m.WC)
	v.NonNegative("market.w_f", m.WF)
	v.Between("market.k", m.K, 0, 1, true)
	v.Finite("market.b_floor", m.BFloor)
	v.Finite("market.b_init", m.BInit)
	if m.BInit < m.BFloor {
		v.Fail("market.b_init", m.BInit, fmt.Sprintf("must be at least market.b_floor (%v)", m.BFloor))
	}
	v.Finite("market.b_dys", m.BDys)
	v.Between("market.delta", m.Delta, 0, 1, true)

	for _, p := range registry { // each policy's own block, in registration order
		if p.Validate != nil {
			p.Validate(c, v)
		}
	}

	v.NonNegative("funds.buffer_stress", f.BufferStress)
	v.NonNegative("sellers.vol", c.Sellers.Vol)
	v.NonNegative("sellers.funding", c.Sellers.Funding)
	v.NonNegative("repo.capacity", c.Repo.Capacity)
	v.NonNegative("repo.kappa", c.Repo.Kappa)
	v.Check("output.band_paths", c.Output.BandPaths, c.Output.BandPaths >= 0 && c.Output.BandPaths <= MaxPaths,
		fmt.Sprintf("use 0 (bands from every path) or a number of paths from 1 to %d", MaxPaths))
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

// Validator keeps the first failure of a list of rules, so a Validate function reads as
// that list. Each method checks one value under its dotted YAML key; a policy's
// PolicySpec.Validate uses them for its own block.
type Validator struct{ err error }

// Fail records that value under key is not allowed, with what is.
func (v *Validator) Fail(key string, value any, allowed string) {
	if v.err == nil {
		v.err = &FieldError{Key: key, Value: value, Allowed: allowed}
	}
}

// Check fails key unless ok.
func (v *Validator) Check(key string, value any, ok bool, allowed string) {
	if !ok {
		v.Fail(key, value, allowed)
	}
}

// Finite requires a finite number.
func (v *Validator) Finite(key string, x float64) {
	v.Check(key, x, !math.IsNaN(x) && !math.IsInf(x, 0), "must be a finite number")
}

// Positive requires a finite number above 0.
func (v *Validator) Positive(key string, x float64) {
	v.Finite(key, x)
	v.Check(key, x, x > 0, "must be greater than 0")
}

// NonNegative requires a finite number of 0 or more.
func (v *Validator) NonNegative(key string, x float64) {
	v.Finite(key, x)
	v.Check(key, x, x >= 0, "must be 0 or more")
}

// Fraction accepts [0, 1): haircuts, margins and equity shares of 1 or more make no sense.
func (v *Validator) Fraction(key string, x float64) {
	v.Finite(key, x)
	v.Check(key, x, x >= 0 && x < 1, "must be in [0, 1)")
}

// AnnounceTheta accepts [0, 1]: a credible backstop slows voluntary selling, never speeds it.
func (v *Validator) AnnounceTheta(key string, x float64) {
	v.Finite(key, x)
	v.Check(key, x, x >= 0 && x <= 1, "must be in [0, 1] (1 = no announcement effect, 0 = no voluntary selling once announced)")
}

// Between requires x in [lo, hi] (closed) or [lo, hi).
func (v *Validator) Between(key string, x, lo, hi float64, closed bool) {
	v.Finite(key, x)
	if closed {
		v.Check(key, x, x >= lo && x <= hi, fmt.Sprintf("must be in [%v, %v]", lo, hi))
	} else {
		v.Check(key, x, x >= lo && x < hi, fmt.Sprintf("must be in [%v, %v)", lo, hi))
	}
}

// AtMost requires x of at most hi.
func (v *Validator) AtMost(key string, x, hi float64) {
	v.Check(key, x, x <= hi, fmt.Sprintf("must be at most %g", hi))
}

// IntRange requires an integer from lo to hi.
func (v *Validator) IntRange(key string, n, lo, hi int) {
	v.Check(key, n, n >= lo && n <= hi, fmt.Sprintf("must be an integer from %d to %d", lo, hi))
}

// IntMin requires an integer of at least min.
func (v *Validator) IntMin(key string, n, min int) {
	v.Check(key, n, n >= min, fmt.Sprintf("must be an integer of at least %d", min))
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
