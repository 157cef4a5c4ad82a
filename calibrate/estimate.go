package calibrate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/backstop-research/backstop/moments"
	"github.com/backstop-research/backstop/stats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Fit is a finished estimation.
type Fit struct {
	Spec     *Spec
	Estimate []float64 // one per parameter
	SE       []float64 // standard errors; NaN where the parameter is not identified
	// SETolerance are the standard errors were each target value uncertain by its
	// tolerance (1/sqrt(weight), a band's half-width) rather than by sampling.
	SETolerance []float64
	Binds       []string // "lower" or "upper" where the estimate sits on a bound, else ""
	Objective   float64
	Targets     []TargetFit
	Profiles    [][]Evaluation // per parameter, the objective along it, others at the estimate
	Trace       []Evaluation   // every evaluation in order
	Jacobian    *mat.Dense     // d simulated moment / d parameter at the estimate
	Omega       *mat.SymDense  // per-path covariance of the moments' contributions
	// Converged is false when the budget ran out before the local search converged.
	Converged bool
	// Correction is the simulation correction 1 + DataPaths/Paths of the variance.
	Correction float64
	// Searched is the number of evaluations of the search (the rest of Trace are the
	// standard errors' and profiles'), Simulated the distinct points simulated (the
	// evaluations log's lines).
	Searched, Simulated int
	// Moved counts the times the estimate moved from the search's end to a better point
	// found by the standard errors' or profiles' evaluations.
	Moved int
	// Invalid counts the evaluations penalized because the scenario rejected the point or
	// a target was defined on no path; FirstInvalid describes the first.
	Invalid      int
	FirstInvalid string
	// Unidentified are the parameters that move no target between the ends of their
	// ranges (at the others' start values).
	Unidentified []string
}

// TargetFit is a target at the estimate.
type TargetFit struct {
	Target
	Simulated stats.Interval // with its 95% Monte Carlo interval
	Residual  float64        // sqrt(weight) (simulated - value)
	Met       string         // for a band: "yes" when the interval lies inside it, else "no"; "" without a band
}

// The search's shape: the share of the budget spent on the Latin hypercube, the local
// search's first simplex (a share of each range), the Jacobian's step and the profiles'
// half-width and points (shares of each range).
const (
	searchShare    = 0.2
	maxRounds      = 6
	simplexSize    = 0.1
	jacobianStep   = 0.01
	profileHalf    = 0.1 // without a standard error
	profileMinHalf = 0.02
	profileMaxHalf = 0.25
	profilePts     = 11
	ciLevel        = 0.95
	maxRedo        = 10 // times the inference moves to a better point it found
)

// bestEvaluated returns the evaluation with the lowest objective so far (the first of
// equals).
func (o *objective) bestEvaluated() Evaluation {
	best := Evaluation{Objective: math.Inf(1)}
	for _, e := range o.trace {
		if e.Objective < best.Objective {
			best = e
		}
	}
	return best
}

// minimize runs the derivative-free global start and the local refinement and returns
// the best point found, within the spec's budget of evaluations.
func (o *objective) minimize() (x []float64, converged bool, err error) {
	s := o.spec
	k := len(s.Params)
	toX := func(u []float64) []float64 {
		x := make([]float64, k)
		for i, p := range s.Params {
			x[i] = p.Lo + min(1, max(0, u[i]))*(p.Hi-p.Lo)
		}
		return x
	}
	// Global start: the scenario's own values (when inside the ranges), then a Latin
	// hypercube of the unit cube, from a generator seeded by the spec's seed.
	o.phase = "search"
	var starts [][]float64
	inside := true
	u0 := make([]float64, k)
	for i, p := range s.Params {
		u0[i] = (p.Start - p.Lo) / (p.Hi - p.Lo)
		inside = inside && u0[i] >= 0 && u0[i] <= 1
	}
	if inside {
		starts = append(starts, u0)
	}
	n := max(4*k+4, int(searchShare*float64(s.MaxEvaluations)))
	rng := rand.New(rand.NewPCG(s.Seed, 0x6d736d))
	perms := make([][]int, k)
	for i := range perms {
		perms[i] = rng.Perm(n)
	}
	for j := 0; j < n; j++ {
		u := make([]float64, k)
		for i := range u {
			u[i] = (float64(perms[i][j]) + rng.Float64()) / float64(n)
		}
		starts = append(starts, u)
	}
	xs := make([][]float64, len(starts))
	for i, u := range starts {
		xs[i] = toX(u)
	}
	if err := o.prefetch(xs); err != nil {
		return nil, false, err
	}
	bestU, bestQ := starts[0], math.Inf(1)
	for i, u := range starts {
		e, err := o.eval(xs[i])
		if err != nil {
			return nil, false, err
		}
		if e.Objective < bestQ {
			bestU, bestQ = u, e.Objective
		}
	}
	// Local refinement: Nelder-Mead on the unit cube, a point outside it evaluated at its
	// projection and penalized by its distance.
	o.phase = "local"
	var evalErr error
	f := func(u []float64) float64 {
		if evalErr != nil {
			return math.Inf(1)
		}
		out := 0.0
		for _, v := range u {
			out += math.Max(0, -v)*math.Max(0, -v) + math.Max(0, v-1)*math.Max(0, v-1)
		}
		e, err := o.eval(toX(u))
		if err != nil {
			evalErr = err
			return math.Inf(1)
		}
		return e.Objective*(1+100*out) + 100*out
	}
	// Rounds of Nelder-Mead, each restarted from the best point with a smaller simplex,
	// until one improves the objective by less than tol: (1% of a target's tolerance)^2
	// per target.
	tol := 1e-4 * float64(len(s.Targets))
	left := s.MaxEvaluations - len(o.trace)
	for round := 0; left > k+1 && round < maxRounds; round++ {
		res, err := optimize.Minimize(optimize.Problem{Func: f}, bestU, &optimize.Settings{
			FuncEvaluations: left,
			Converger:       &optimize.FunctionConverge{Absolute: tol, Iterations: 3*k + 3},
		}, &optimize.NelderMead{SimplexSize: simplexSize / math.Pow(2, float64(round))})
		if evalErr != nil {
			return nil, false, evalErr
		}
		if err != nil && res == nil {
			return nil, false, err
		}
		gain := bestQ - res.F
		if res.F < bestQ {
			bestU, bestQ = res.X, res.F
		}
		left = s.MaxEvaluations - len(o.trace)
		if res.Status != optimize.FunctionConvergence {
			break // the budget ran out
		}
		if gain < tol && round > 0 {
			converged = true
			break
		}
	}
	// The best point evaluated, which a round's simplex may have found without ending there.
	if b := o.bestEvaluated(); b.Objective < bestQ {
		return append([]float64(nil), b.X...), converged, nil
	}
	return toX(bestU), converged, nil
}

// infer computes the standard errors, the targets' fit and the profiles at x.
func (o *objective) infer(x []float64) (*Fit, error) {
	s := o.spec
	k, J := len(s.Params), len(s.Targets)
	fit := &Fit{Spec: s, Estimate: x, SE: make([]float64, k), SETolerance: make([]float64, k), Binds: make([]string, k)}
	cfg, err := s.Config(x)
	if err != nil {
		return nil, fmt.Errorf("the scenario at the estimate: %w", err)
	}
	sample, err := moments.Evaluate(o.ctx, cfg, o.stats, s.Paths, s.Seed, o.workers)
	if err != nil {
		return nil, err
	}
	at, err := o.eval(x)
	if err != nil {
		return nil, err
	}
	fit.Objective = at.Objective
	for j, t := range s.Targets {
		tf := TargetFit{Target: t, Simulated: sample.Estimate(j, ciLevel)}
		tf.Residual = math.Sqrt(t.Weight) * (tf.Simulated.Estimate - t.Value)
		if t.Band != nil {
			tf.Met = "no"
			if tf.Simulated.Lo >= t.Band[0] && tf.Simulated.Hi <= t.Band[1] {
				tf.Met = "yes"
			}
		}
		fit.Targets = append(fit.Targets, tf)
	}
	// Omega: the per-path covariance of the moments' influence contributions.
	psi := make([][]float64, J)
	for j := range psi {
		psi[j] = sample.Influence(j)
	}
	n := float64(sample.Paths())
	fit.Omega = mat.NewSymDense(J, nil)
	for a := 0; a < J; a++ {
		for b := a; b < J; b++ {
			c := 0.0
			for i := range psi[a] {
				c += psi[a][i] * psi[b][i]
			}
			fit.Omega.SetSym(a, b, c/n)
		}
	}
	// G: central differences on common random numbers, one-sided at a bound.
	o.phase = "jacobian"
	fit.Jacobian = mat.NewDense(J, k, nil)
	// Each parameter's step h and the points x with it at lo and at hi, known before any is
	// evaluated (prefetch).
	type jacobianPoints struct {
		h, lo, hi float64
		xl, xh    []float64
	}
	steps := make([]jacobianPoints, len(s.Params))
	var points [][]float64
	for i, p := range s.Params {
		st := &steps[i]
		st.h = jacobianStep * (p.Hi - p.Lo)
		st.lo, st.hi = max(p.Lo, x[i]-st.h), min(p.Hi, x[i]+st.h)
		st.xl, st.xh = append([]float64(nil), x...), append([]float64(nil), x...)
		st.xl[i], st.xh[i] = st.lo, st.hi
		points = append(points, st.xl, st.xh)
	}
	if err := o.prefetch(points); err != nil {
		return nil, err
	}
	for i, p := range s.Params {
		h, lo, hi, xl, xh := steps[i].h, steps[i].lo, steps[i].hi, steps[i].xl, steps[i].xh
		el, err := o.eval(xl)
		if err != nil {
			return nil, err
		}
		eh, err := o.eval(xh)
		if err != nil {
			return nil, err
		}
		for j := range s.Targets {
			fit.Jacobian.Set(j, i, (eh.Moments[j]-el.Moments[j])/(hi-lo))
		}
		switch {
		case x[i]-p.Lo <= h/2:
			fit.Binds[i] = "lower"
		case p.Hi-x[i] <= h/2:
			fit.Binds[i] = "upper"
		}
	}
	fit.Correction = 1 + float64(s.DataPaths)/float64(s.Paths)
	// The moments' covariance: sampling (data and simulation), or the tolerances plus
	// the simulation's noise.
	sampling := mat.NewSymDense(J, nil)
	sampling.ScaleSym(fit.Correction/float64(s.DataPaths), fit.Omega)
	tolerance := mat.NewSymDense(J, nil)
	tolerance.ScaleSym(1/float64(s.Paths), fit.Omega)
	for j, t := range s.Targets {
		tolerance.SetSym(j, j, tolerance.At(j, j)+1/t.Weight)
	}
	for _, c := range []struct {
		cov *mat.SymDense
		dst []float64
	}{{sampling, fit.SE}, {tolerance, fit.SETolerance}} {
		se, err := sandwich(fit.Jacobian, s.Targets, c.cov)
		for i := range c.dst {
			c.dst[i] = math.NaN()
			if err == nil {
				c.dst[i] = se[i]
			}
		}
	}
	// Profiles: the objective along each parameter, the others at the estimate, over two
	// tolerance standard errors each side (within limits of the range), where a
	// well-identified parameter's objective rises by about 4 (the Gauss-Newton curvature).
	o.phase = "profile"
	profiles := make([][][]float64, len(s.Params)) // each parameter's points
	var all [][]float64
	for i, p := range s.Params {
		half := profileHalf * (p.Hi - p.Lo)
		if se := fit.SETolerance[i]; se > 0 && !math.IsInf(se, 0) {
			half = min(profileMaxHalf*(p.Hi-p.Lo), max(profileMinHalf*(p.Hi-p.Lo), 2*se))
		}
		for j := 0; j < profilePts; j++ {
			v := x[i] + half*(2*float64(j)/float64(profilePts-1)-1)
			if v < p.Lo || v > p.Hi {
				continue
			}
			xp := append([]float64(nil), x...)
			xp[i] = v
			if j == profilePts/2 {
				xp[i] = x[i]
			}
			profiles[i] = append(profiles[i], xp)
		}
		all = append(all, profiles[i]...)
	}
	if err := o.prefetch(all); err != nil {
		return nil, err
	}
	for _, pts := range profiles {
		var prof []Evaluation
		for _, xp := range pts {
			e, err := o.eval(xp)
			if err != nil {
				return nil, err
			}
			prof = append(prof, e)
		}
		fit.Profiles = append(fit.Profiles, prof)
	}
	fit.Trace = o.trace
	return fit, nil
}

// errSingular reports a Jacobian that does not pin every parameter.
var errSingular = errors.New("calibrate: the targets do not identify every parameter at the estimate (G'WG is singular)")

// sandwich returns the standard errors sqrt(diag((G'WG)^-1 G'W Sigma W G (G'WG)^-1)),
// Sigma the covariance of the simulated minus the target moments.
func sandwich(G *mat.Dense, targets []Target, sigma *mat.SymDense) ([]float64, error) {
	J, k := G.Dims()
	W := mat.NewDiagDense(J, nil)
	for j, t := range targets {
		W.SetDiag(j, t.Weight)
	}
	var WG, A, Ainv, B, tmp, V mat.Dense
	WG.Mul(W, G)
	A.Mul(G.T(), &WG)
	if err := Ainv.Inverse(&A); err != nil {
		return nil, errSingular
	}
	if c := mat.Cond(&A, 2); math.IsInf(c, 1) || c > 1e14 {
		return nil, errSingular
	}
	tmp.Mul(sigma, &WG)
	B.Mul(WG.T(), &tmp)
	tmp.Reset()
	tmp.Mul(&Ainv, &B)
	V.Mul(&tmp, &Ainv)
	se := make([]float64, k)
	for i := range se {
		se[i] = math.Sqrt(math.Max(0, V.At(i, i)))
	}
	return se, nil
}
