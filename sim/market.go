package sim

// market is the dealer sector and the basis on one path (docs/model.md section 4).
type market struct {
	basis     float64 // b_t
	prevBasis float64 // b_{t-1}
	inventory float64 // I_t, dealer inventory, $bn
}

// impact returns lambda_t, the price impact per $bn given dealer capacity K_t and the
// inventory I_t at the start of the day.
func (k *market) impact(p *MarketParams, capacity float64) float64 {
	return p.Lambda0 / max(p.UMin, 1-k.inventory/capacity)
}

// clear moves the basis and dealer inventory given the day's impact lambda, net cash sold
// xc and net futures bought back xf (step 3). It returns the push and the concession
// sellers pay.
func (k *market) clear(p *MarketParams, lambda, xc, xf, noise float64) (push, concession float64) {
	push = lambda * (p.WC*xc + p.WF*xf)
	next := max(p.BFloor, (1-p.K)*k.basis+push+noise)
	k.prevBasis, k.basis = k.basis, next
	k.inventory = max(0, (1-p.Delta)*k.inventory+xc)
	return push, max(push, 0) / 2
}
