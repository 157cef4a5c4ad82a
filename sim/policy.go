package sim

// Policy is a central-bank response run on every path (docs/model.md section 5). One value
// serves one path at a time: Start resets it, then each day the simulator calls Adjust
// (step 1), Absorb (step 2) and Settle (step 5) in that order. A new policy is one file
// holding a type implementing this interface and its PolicySpec, plus a line in the
// registry (registry.go).
type Policy interface {
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

// Day is what a policy sees of day t. Sales, Reentry, Impact, Dealers and Other are set from step 2 on
// (Absorb and Settle); Adjust sees them as 0.
type Day struct {
	T        int     // day index t
	Basis    float64 // b_t, the basis at the start of the day, bp
	Position float64 // sum of B_j over funds not in default at the start of the day, $bn
	Sales    float64 // S, total fund sales, $bn
	Reentry  float64 // R, total fund re-entry, $bn
	Impact   float64 // lambda_t, the day's price impact, bp per $bn of net flow
	Dealers  float64 // I_t, dealer inventory at the start of the day, $bn
	Other    float64 // O_t, other sellers' outright cash sales, $bn (0 without a sellers block)
	DY       float64 // dy_t, the day's yield change, bp
}

// Conditions are the day's funding and dealer conditions, computed from the shocks before
// the policy's Adjust.
type Conditions struct {
	Haircut  float64 // h_t, repo haircut, fraction
	Margin   float64 // m_t, futures initial margin, fraction
	Spread   float64 // spread_t, repo spread, bp/yr
	Capacity float64 // K_t, dealer capacity, $bn
	Theta    float64 // voluntary deleveraging speed, per day
	Repo     float64 // L_t, repo the dealers will lend the funds in all, $bn (+Inf: not rationed)
}

// Absorption is what a policy buys on a day.
type Absorption struct {
	Cash    float64 // P_t, cash Treasuries bought outright, $bn
	Bundles float64 // A_t, hedged bundles bought (cash long + futures short), $bn
	// Discount is what a seller gives up on each $ of bundles sold to the policy, in bp of
	// basis against b_t (the spv's d): it costs the seller D_b Discount / 1e4 per $.
	Discount float64
}

// Sheet is the central bank's exposure to a policy.
type Sheet struct {
	Holdings  float64 // Q or M, $bn
	DV01      float64 // $bn per bp
	PnL       float64 // cumulative P&L, $bn
	ClosedDay int     // day the vehicle closed, -1 if it has not
}

// announceDay returns the announcement day of a policy announced on the first day the
// basis exceeds trigger: prev if already announced (prev >= 0), else d.T if b_t exceeds
// trigger today, else -1.
func announceDay(prev int, d Day, trigger float64) int {
	if prev < 0 && d.Basis > trigger {
		return d.T
	}
	return prev
}
