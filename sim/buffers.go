package sim

import "math"

// Buffers that shrink under stress (docs/model-extensions.md). In docs/model.md fund j keeps a
// fixed buffer u_j above required capital, so its target position E_j / (r_t (1 + u_j))
// falls with 1 / r_t and a doubling of capital per $ halves it. Funds in March 2020 cut
// exposure by about a fifth (Kruttli et al., FEDS 2021-038), less than that rule gives:
// they ran their buffers down as margins and haircuts rose. With funds.buffer_stress psi > 0,
//
//	u_j,t = u_j min(1, (r_0 / r_t)^psi),   r_0 = h0 + m0,
//
// so the buffer is the spec's in calm (r_t <= r_0) and shrinks as r_t rises; psi = 0 is
// the spec. Capacity E_j / r_t, and so forced sales, are unchanged: only the voluntary
// target moves.

// stressedInvBuffer returns 1 / (1 + u_j,t) of every fund for capital per $ r, in f's
// scratch space, or the model's 1 / (1 + u_j) (not to be written) when the factor is 1:
// u_j 1 is u_j, so those are the same bits.
func (f *funds) stressedInvBuffer(m *Model, r float64) []float64 {
	scale := m.bufferScale(r)
	if scale == 1 {
		return m.invBuffer
	}
	inv := f.invBuffer[:len(m.buffer)]
	for j, u := range m.buffer {
		inv[j] = 1 / (1 + u*scale)
	}
	return inv
}

// bufferScale returns min(1, (r_0 / r_t)^psi), the factor on every fund's buffer u_j.
// In calm, r_t well below r_0 (at most r_0 (1 - 2^-16)), the factor is 1 without the
// power, the dearest step of the day, for psi from 2^-10 to 2^10: there (r_0 / r_t)^psi
// is at least 1 + 2^-28, and math.Pow's result is within far less of it (its log and exp
// err by under an ulp, its at most 11 squarings and products by under 2^-39 in all; an
// overflow is +Inf), so the min is 1 either way: the same bits (TestBufferScaleInCalm).
func (m *Model) bufferScale(r float64) float64 {
	psi := m.cfg.Funds.BufferStress
	if r > 0 && r <= m.r0*(1-0x1p-16) && psi >= 0x1p-10 && psi <= 0x1p10 {
		return 1
	}
	return min(1, math.Pow(m.r0/r, psi))
}
