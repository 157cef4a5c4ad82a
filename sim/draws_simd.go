//go:build goexperiment.simd && amd64 && !amd64.v3

package sim

import (
	"math"
	"math/bits"
	"simd/archsimd"

	"github.com/backstop-research/backstop/internal/vec8"
)

// useDrawVector is whether laneDraws draws lanes at a time in vectors: on a CPU with
// AVX-512.
var useDrawVector = archsimd.X86.AVX512()

// normalKTable and normalWTable are normalK and normalW's bits, 32 entries to a pair of
// vectors, for the ziggurat's table lookups by permutation (AVX-512 has no 512-bit
// gather in archsimd), each vector on a cache line of its own (newAligned).
var normalKTable, normalWTable = func() (k, w *[8][16]uint32) {
	k, w = newAligned[[8][16]uint32](), newAligned[[8][16]uint32]()
	for i := range normalK {
		k[i/16][i%16] = normalK[i]
		w[i/16][i%16] = math.Float32bits(normalW[i])
	}
	return k, w
}()

// drawVectors are the vector constants of the draws, kept in memory, where loading one
// takes an instruction and broadcasting a value three.
type drawVectors struct {
	low32, mulLo0, mulLo1, mulLo, mulHi, incLo, incHi, incHi1, cheapMul, one [lanes]uint64
	index, bit5, bit6                                                        [2 * lanes]uint32
}

// drawConsts are the draws' drawVectors, each on a cache line of its own (newAligned).
var drawConsts = func() *drawVectors {
	c := newAligned[drawVectors]()
	splat := func(x uint64) (v [lanes]uint64) {
		for l := range v {
			v[l] = x
		}
		return v
	}
	c.low32, c.mulLo0, c.mulLo1 = splat(1<<32-1), splat(pcgMulLo&(1<<32-1)), splat(pcgMulLo>>32)
	c.mulLo, c.mulHi, c.incLo = splat(pcgMulLo), splat(pcgMulHi), splat(pcgIncLo)
	c.incHi, c.incHi1, c.cheapMul, c.one = splat(pcgIncHi), splat(pcgIncHi+1), splat(pcgCheapMul), splat(1)
	for i := range c.index {
		c.index[i], c.bit5[i], c.bit6[i] = 0x7F, 32, 64
	}
	return c
}()

// pcgVector is pcg.Uint64 on every lane: it returns the lanes' next states and numbers.
// The high half of lo times mulLo is built from products of 32-bit halves, which
// VPMULLQ's low 64 bits hold exactly.
func pcgVector(hi, lo archsimd.Uint64x8) (archsimd.Uint64x8, archsimd.Uint64x8, archsimd.Uint64x8) {
	c := drawConsts
	low32 := archsimd.LoadUint64x8(&c.low32)
	a0, a1 := lo.And(low32), vec8.ShiftRight(lo, 32)
	b0, b1 := archsimd.LoadUint64x8(&c.mulLo0), archsimd.LoadUint64x8(&c.mulLo1)
	p00, p01, p10, p11 := a0.Mul(b0), a0.Mul(b1), a1.Mul(b0), a1.Mul(b1)
	mid := vec8.ShiftRight(p00, 32).Add(p01.And(low32)).Add(p10.And(low32))
	mulHigh := p11.Add(vec8.ShiftRight(p01, 32)).Add(vec8.ShiftRight(p10, 32)).Add(vec8.ShiftRight(mid, 32))
	mulLow := mid.ShiftAllLeft(32).Or(p00.And(low32))
	// state = state * mul + inc
	hi = mulHigh.Add(hi.Mul(archsimd.LoadUint64x8(&c.mulLo))).Add(lo.Mul(archsimd.LoadUint64x8(&c.mulHi)))
	incLo := archsimd.LoadUint64x8(&c.incLo)
	lo = mulLow.Add(incLo)
	carry := lo.Less(incLo)
	hi = hi.Add(archsimd.LoadUint64x8(&c.incHi1).Merge(archsimd.LoadUint64x8(&c.incHi), carry))
	// DXSM "double xorshift multiply"
	x := hi.Xor(vec8.ShiftRight(hi, 32))
	x = x.Mul(archsimd.LoadUint64x8(&c.cheapMul))
	x = x.Xor(vec8.ShiftRight(x, 48))
	x = x.Mul(lo.Or(archsimd.LoadUint64x8(&c.one)))
	return hi, lo, x
}

// lookup128 is table[i] for each lane's index i < 128, held in the even 32-bit elements
// of idx (the odd ones 0), with table laid out as normalKTable; bit5 and bit6 are the
// elements whose index has bit 5 and bit 6 set. The result's odd elements are table[0].
func lookup128(table *[8][16]uint32, idx archsimd.Uint32x16, bit5, bit6 archsimd.Mask32x16) archsimd.Uint32x16 {
	r0 := archsimd.LoadUint32x16(&table[0]).ConcatPermute(archsimd.LoadUint32x16(&table[1]), idx)
	r1 := archsimd.LoadUint32x16(&table[2]).ConcatPermute(archsimd.LoadUint32x16(&table[3]), idx)
	r2 := archsimd.LoadUint32x16(&table[4]).ConcatPermute(archsimd.LoadUint32x16(&table[5]), idx)
	r3 := archsimd.LoadUint32x16(&table[6]).ConcatPermute(archsimd.LoadUint32x16(&table[7]), idx)
	r01, r23 := r1.Merge(r0, bit5), r3.Merge(r2, bit5)
	return r23.Merge(r01, bit6)
}

// zigguratVector is NormFloat64's first draw on every lane from its number u: x = j w_i,
// and the lanes where x fell outside strip i's rectangle (absInt32(j) >= k_i), whose
// draws normalAfterLane finishes. In two parts, zigguratX and zigguratEdge, which the
// compiler inlines where the whole would be too large to: a normal draw then calls no
// function but in its rare case.
func zigguratVector(u archsimd.Uint64x8) (archsimd.Float64x8, uint8) {
	x, idx, bit5, bit6 := zigguratX(u)
	return x, zigguratEdge(u, idx, bit5, bit6)
}

// zigguratX is zigguratVector's x = j w_i, and the strip i's index and its bits 5 and 6
// (lookup128), which zigguratEdge takes.
func zigguratX(u archsimd.Uint64x8) (x archsimd.Float64x8, idx archsimd.Uint32x16, bit5, bit6 archsimd.Mask32x16) {
	c := drawConsts
	var zero archsimd.Uint32x16
	idx = vec8.ShiftRight(u, 32).AsUint32x16().And(archsimd.LoadUint32x16(&c.index))
	bit5 = idx.And(archsimd.LoadUint32x16(&c.bit5)).NotEqual(zero)
	bit6 = idx.And(archsimd.LoadUint32x16(&c.bit6)).NotEqual(zero)
	w := lookup128(normalWTable, idx, bit5, bit6).AsUint64x8().TruncateToUint32()
	x = u.TruncateToUint32().AsInt32x8().ConvertToFloat64().Mul(w.AsFloat32x8().ConvertToFloat64())
	return x, idx, bit5, bit6
}

// zigguratEdge is zigguratVector's lanes outside their strip's rectangle.
func zigguratEdge(u archsimd.Uint64x8, idx archsimd.Uint32x16, bit5, bit6 archsimd.Mask32x16) uint8 {
	// |j| as absInt32 (VPABSD leaves -2^31 as 2^31 too) against k_i, unsigned, in the low
	// halves of 64-bit elements.
	low32 := archsimd.LoadUint64x8(&drawConsts.low32)
	k := lookup128(normalKTable, idx, bit5, bit6).AsUint64x8().And(low32)
	inside := u.AsInt32x16().Abs().AsUint64x8().And(low32).Less(k).ToBits()
	return ^inside
}

// storeDays stores day-major values (day t of the batch's path i at t*batchPaths + i)
// of batch paths at..at+n-1 (n <= lanes), days [0, T), into dst[l][0:T] for each l < n,
// 8 days at a time, each 8x8 block transposed (vec8.Transpose).
func storeDays(src []float64, at int, dst *[lanes][]float64, n, T int) {
	t := 0
	const s = batchPaths
	for ; t+lanes <= T; t += lanes {
		b := src[t*s+at:]
		v0 := archsimd.LoadFloat64x8((*[lanes]float64)(b[0*s:]))
		v1 := archsimd.LoadFloat64x8((*[lanes]float64)(b[1*s:]))
		v2 := archsimd.LoadFloat64x8((*[lanes]float64)(b[2*s:]))
		v3 := archsimd.LoadFloat64x8((*[lanes]float64)(b[3*s:]))
		v4 := archsimd.LoadFloat64x8((*[lanes]float64)(b[4*s:]))
		v5 := archsimd.LoadFloat64x8((*[lanes]float64)(b[5*s:]))
		v6 := archsimd.LoadFloat64x8((*[lanes]float64)(b[6*s:]))
		v7 := archsimd.LoadFloat64x8((*[lanes]float64)(b[7*s:]))
		v0, v1, v2, v3, v4, v5, v6, v7 = vec8.Transpose(v0, v1, v2, v3, v4, v5, v6, v7)
		if n == lanes {
			v0.Store((*[lanes]float64)(dst[0][t:]))
			v1.Store((*[lanes]float64)(dst[1][t:]))
			v2.Store((*[lanes]float64)(dst[2][t:]))
			v3.Store((*[lanes]float64)(dst[3][t:]))
			v4.Store((*[lanes]float64)(dst[4][t:]))
			v5.Store((*[lanes]float64)(dst[5][t:]))
			v6.Store((*[lanes]float64)(dst[6][t:]))
			v7.Store((*[lanes]float64)(dst[7][t:]))
			continue
		}
		for l, v := range [lanes]archsimd.Float64x8{v0, v1, v2, v3, v4, v5, v6, v7} {
			if l < n {
				v.Store((*[lanes]float64)(dst[l][t:]))
			}
		}
	}
	archsimd.ClearAVXUpperBits() // the rest is scalar code (see vec8.ShiftRight)
	for ; t < T; t++ {
		for l := range n {
			dst[l][t] = src[t*s+at+l]
		}
	}
}

// normal draws a standard normal on every lane, as NormFloat64 on each lane's stream,
// the lanes' states from d.st and back.
func (d *laneDraws) normal() archsimd.Float64x8 {
	st := d.st
	hi, lo, u := pcgVector(archsimd.LoadUint64x8(&st.hi), archsimd.LoadUint64x8(&st.lo))
	hi.Store(&st.hi)
	lo.Store(&st.lo)
	x, idx, bit5, bit6 := zigguratX(u)
	if edge := zigguratEdge(u, idx, bit5, bit6); edge != 0 {
		u.Store(&st.u)
		return d.onLanes(edge, x, func(s *Stream, l int) float64 { return s.normalAfterLane(d.st.u[l]) })
	}
	return x
}

// onLanes finishes a draw in scalar code on each lane of mask, on that lane's own stream:
// it sets the scalar stream to the lane's PCG state from d.st, merges the value draw
// returns into x and puts the stream's new state back in d.st. The lanes' rare cases (a
// ziggurat edge, a funding shock) all go through it. Not inlined: inlined, the compiler
// reloads a draw's scalars (m_F) with legacy-SSE moves after the merge, in vector code
// (see vec8.ShiftRight).
//
//go:noinline
func (d *laneDraws) onLanes(mask uint8, x archsimd.Float64x8, draw func(s *Stream, l int) float64) archsimd.Float64x8 {
	s, st := d.stream, d.st
	for ; mask != 0; mask &= mask - 1 {
		l := bits.TrailingZeros8(mask)
		s.pcg.hi, s.pcg.lo = st.hi[l], st.lo[l]
		archsimd.ClearAVXUpperBits() // draw is scalar code (see vec8.ShiftRight)
		x = archsimd.BroadcastFloat64x8(draw(s, l)).Merge(x, archsimd.Mask64x8FromBits(1<<l))
		st.hi[l], st.lo[l] = s.pcg.hi, s.pcg.lo
	}
	return x
}

// params returns d's drawParams, made on first use.
func (d *laneDraws) params() *drawParams {
	if d.k != nil {
		return d.k
	}
	m := d.m
	p := &m.cfg.Shocks
	k := newAligned[drawParams]()
	for l := range lanes {
		k.logBar[l], k.gammaM[l], k.zero[l], k.phi[l], k.eta[l] = m.logSigmaBar, m.cfg.Funds.GammaM, 0, p.Phi, p.Eta
		k.rhoF[l], k.betaF[l], k.pf[l], k.unit[l] = p.RhoF, p.BetaF, p.PF, 1.0/(1<<53)
		k.muJ[l], k.sJ[l] = p.MuJ, p.SJ
	}
	d.k = k
	return k
}

// drawVector draws batch paths at..at+2*lanes-1 (paths first+at on) into d's buffers,
// before the exponentials (finish), all lanes in vectors, in two groups of lanes (d's and
// d.pair's), each Model.Draw operation for operation on each lane. The groups' draws
// alternate, so that while one group waits on a rare case's scalar code the other's draws
// go on; paths past the batch's are drawn too, and nobody reads them.
func (d *laneDraws) drawVector(seed uint64, first int64, at int) {
	if d.pair == nil {
		d.pair = &laneDraws{m: d.m, stream: NewStream(), st: newAligned[drawLanes](), k: d.params(),
			sigma: d.sigma, f: d.f, dy: d.dy, noise: d.noise, margin: d.margin, jump: d.jump}
	}
	e := d.pair
	d.at, e.at = at, at+lanes
	for l := range lanes {
		d.st.hi[l], d.st.lo[l] = pathSeed(seed, first+int64(d.at+l))
		e.st.hi[l], e.st.lo[l] = pathSeed(seed, first+int64(e.at+l))
	}
	d.start()
	e.start()
	T := d.m.cfg.Days
	for t := 0; t < T; t++ {
		d.day(t, T)
		e.day(t, T)
	}
	archsimd.ClearAVXUpperBits()
}

// start draws the lanes' J and sets their log sigma_0 and F_0, in day 0's rows.
func (d *laneDraws) start() {
	k := d.params()
	z := d.normal()
	jump := load(&k.muJ).Add(load(&k.sJ).Mul(z))
	jump.Store((*[lanes]float64)(d.jump[d.at:]))
	load(&k.logBar).Add(jump).Store((*[lanes]float64)(d.sigma[d.at:]))
	load(&k.zero).Store((*[lanes]float64)(d.f[d.at:]))
	archsimd.ClearAVXUpperBits()
}

// day draws day t of the lanes (of T days): from log sigma_t and F_t in day t's rows,
// m_t's exponent, dy_t's and the noise's normals and, but on the last day, log sigma_{t+1}
// and F_{t+1} into day t+1's rows. Nothing is kept in a register across the draws
// (drawLanes): what a step needs after a normal draw it loads again.
func (d *laneDraws) day(t, T int) {
	k := d.params()
	a := t*batchPaths + d.at
	excess := load((*[lanes]float64)(d.sigma[a:])).Sub(load(&k.logBar))
	load(&k.gammaM).Mul(excess).Store((*[lanes]float64)(d.margin[a:]))
	d.normal().Store((*[lanes]float64)(d.dy[a:]))
	d.normal().Store((*[lanes]float64)(d.noise[a:]))
	if t == T-1 {
		archsimd.ClearAVXUpperBits()
		return
	}
	z := d.normal()
	excess = load((*[lanes]float64)(d.sigma[a:])).Sub(load(&k.logBar))
	next := a + batchPaths
	load(&k.logBar).Add(load(&k.phi).Mul(excess)).Add(load(&k.eta).Mul(z)).Store((*[lanes]float64)(d.sigma[next:]))
	f := load(&k.rhoF).Mul(load((*[lanes]float64)(d.f[a:]))).Add(load(&k.betaF).Mul(maxWith(load(&k.zero), excess, false)))
	// Float64: the low 53 bits over 2^53 (times 2^-53, as exact).
	st := d.st
	hi, lo, u := pcgVector(archsimd.LoadUint64x8(&st.hi), archsimd.LoadUint64x8(&st.lo))
	hi.Store(&st.hi)
	lo.Store(&st.lo)
	if fires := vec8.ShiftRight(u.ShiftAllLeft(11), 11).ConvertToFloat64().Mul(load(&k.unit)).Less(load(&k.pf)).ToBits(); fires != 0 {
		f = d.fundingShocks(fires, f)
	}
	f.Store((*[lanes]float64)(d.f[next:]))
	archsimd.ClearAVXUpperBits()
}

// fundingShocks adds a funding shock, m_F times ExpFloat64, to f on each lane of fires,
// in scalar code on the lane's own stream.
func (d *laneDraws) fundingShocks(fires uint8, f archsimd.Float64x8) archsimd.Float64x8 {
	f.Store(&d.st.x)
	// m_F is read in the draw, which onLanes calls with the vector registers' upper
	// halves clear: read here, it would be a legacy-SSE move in vector code (see
	// vec8.ShiftRight).
	return d.onLanes(fires, f, func(s *Stream, l int) float64 { return d.st.x[l] + d.m.cfg.Shocks.MF*s.ExpFloat64() })
}

// finish turns the values of batch paths 0..n-1 (a multiple of 2*lanes), days [0, T),
// into Model.Draw's: the exponentials and the products after them.
func (d *laneDraws) finish(n int) {
	m := d.m
	T := m.cfg.Days
	if n == batchPaths {
		expAll(d.sigma[:T*batchPaths])
		expAll(d.margin[:T*batchPaths])
	} else {
		for t := range T {
			expAll(d.sigma[t*batchPaths : t*batchPaths+n])
			expAll(d.margin[t*batchPaths : t*batchPaths+n])
		}
	}
	m0, omega := archsimd.BroadcastFloat64x8(m.cfg.Funds.M0), archsimd.BroadcastFloat64x8(m.cfg.Shocks.Omega)
	for t := range T {
		for at := t * batchPaths; at < t*batchPaths+n; at += lanes {
			sigma := archsimd.LoadFloat64x8((*[lanes]float64)(d.sigma[at:]))
			margin := (*[lanes]float64)(d.margin[at:])
			dy, noise := (*[lanes]float64)(d.dy[at:]), (*[lanes]float64)(d.noise[at:])
			m0.Mul(archsimd.LoadFloat64x8(margin)).Store(margin)
			sigma.Mul(archsimd.LoadFloat64x8(dy)).Store(dy)
			omega.Mul(sigma).Mul(archsimd.LoadFloat64x8(noise)).Store(noise)
		}
	}
	archsimd.ClearAVXUpperBits()
}

// storeLanes stores batch paths q..q+len(out)-1 (len(out) <= lanes) into out.
func (d *laneDraws) storeLanes(q int, out []*Shocks) {
	T := d.m.cfg.Days
	var dst [5][lanes][]float64
	for l, sh := range out {
		sh.Jump = d.jump[q+l]
		dst[0][l], dst[1][l], dst[2][l], dst[3][l], dst[4][l] = sh.Sigma, sh.F, sh.DY, sh.Noise, sh.Margin
	}
	for k, src := range [5][]float64{d.sigma, d.f, d.dy, d.noise, d.margin} {
		storeDays(src, q, &dst[k], len(out), T)
	}
	archsimd.ClearAVXUpperBits()
}
