package sim

import (
	"fmt"
	"sort"
)

// Policy is a central-bank response run on every path (MODEL.md section 5). One value
// serves one path at a time: Start resets it, then each day the simulator calls Adjust
// (step 1), Absorb (step 2) and Settle (step 5) in that order. A new policy is one small
// type implementing this interface plus a line in the registry.
type Policy interface {
	// Name is the policy's label in outputs.
	Name() string
	// Start resets the policy's books for a new path.
	Start()
	// Adjust may change the day's market conditions before funds decide (step 1): a repo
	// facility would cap the haircut, capital relief would raise dealer capacity.
	Adjust(day Day, c *Conditions)
	// Absorb returns what the policy takes out of the day's sales (step 2).
	Absorb(day Day) Absorption
	// Settle books the day's absorption and rate P&L (step 5).
	Settle(day Day, a Absorption)
	// Sheet returns the central bank's exposure after the latest Settle.
	Sheet() Sheet
}

// Day is what a policy sees of day t.
type Day struct {
	T       int     // day index t
	Basis   float64 // b_t, the basis at the start of the day, bp
	Sales   float64 // S, total fund sales, $bn
	Reentry float64 // R, total fund re-entry, $bn
	DY      float64 // dy_t, the day's yield change, bp
}

// Conditions are the day's funding and dealer conditions, computed from the shocks before
// the policy's Adjust.
type Conditions struct {
	Haircut  float64 // h_t, repo haircut, fraction
	Margin   float64 // m_t, futures initial margin, fraction
	Spread   float64 // spread_t, repo spread, bp/yr
	Capacity float64 // K_t, dealer capacity, $bn
	Theta    float64 // voluntary deleveraging speed, per day
}

// Absorption is what a policy buys on a day.
type Absorption struct {
	Cash    float64 // P_t, cash Treasuries bought outright, $bn
	Bundles float64 // A_t, hedged bundles bought (cash long + futures short), $bn
}

// Sheet is the central bank's exposure to a policy.
type Sheet struct {
	Holdings  float64 // Q or M, $bn
	DV01      float64 // $bn per bp
	PnL       float64 // cumulative P&L, $bn
	ClosedDay int     // day the vehicle closed, -1 if it has not
}

// policyMakers is the registry: name to constructor.
var policyMakers = map[string]func(*Config) Policy{
	"none": func(*Config) Policy { return &None{} },
	"qe":   func(c *Config) Policy { return &QE{P: c.QE} },
	"spv":  func(c *Config) Policy { return &SPV{P: c.SPV, DB: c.Funds.DB} },
}

// PolicyNames returns the registered policy names, sorted.
func PolicyNames() []string {
	names := make([]string, 0, len(policyMakers))
	for n := range policyMakers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsPolicy reports whether name is a registered policy.
func IsPolicy(name string) bool {
	_, ok := policyMakers[name]
	return ok
}

// NewPolicy returns a fresh instance of the named policy configured from cfg.
func NewPolicy(name string, cfg *Config) (Policy, error) {
	mk, ok := policyMakers[name]
	if !ok {
		return nil, fmt.Errorf("unknown policy %q (known: %v)", name, PolicyNames())
	}
	return mk(cfg), nil
}
