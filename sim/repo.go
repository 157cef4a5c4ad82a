package sim

// Repo quantity rationing (docs/model-extensions.md). In docs/model.md repo is priced, never
// rationed: a stress raises the haircut h_t and the spread, and a fund with the capital
// can always borrow. Kahn (OFR) argues that in March 2020 the binding constraint was the
// quantity of repo dealers would lend to basis traders. With repo.capacity > 0, dealers
// lend the funds at most
//
//	L_t = capacity / (1 + kappa F_t)   ($bn of cash)
//
// in all, shared in proportion to the funds' initial positions, so fund j can finance at
// most B_j0 / B0 * L_t / (1 - h_t) of position, and its capacity becomes
// Cap_j = min(E_j / r_t, B_j0 / B0 * L_t / (1 - h_t)). A position above it is sold as
// forced, like one above E_j / r_t. The standing repo facility (SRF) lends without a
// quantity limit once open, so it lifts the ration.

// repoCapacity returns L_t for every day of sh in out's storage.
func (m *Model) repoCapacity(sh *Shocks, out []float64) []float64 {
	p := &m.cfg.Repo
	out = out[:0]
	for _, F := range sh.F {
		out = append(out, p.Capacity/(1+p.Kappa*F))
	}
	return out
}
