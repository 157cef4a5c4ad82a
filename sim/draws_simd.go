//go:build goexperiment.simd && amd64 && !amd64.v3

package sim

import (
	"math"
	"math/bits"
	"simd/archsimd"
)

// useDrawVector is whether laneDraws draws lanes at a time in vectors: on a CPU with
// AVX-512.
var useDrawVector = archsimd.X86.AVX512()

// normalKTable and normalWTable are normalK and normalW's bits, 32 entries to a pair of
// vectors, for the ziggurat's table lookups by permutation (AVX-512 has no 512-bit
// gather in archsimd).
var normalKTable, normalWTable = func() (k, w [8][16]uint32) {
	for i := range normalK {
		k[i/16][i%16] = normalK[i]
		w[i/16][i%16] = math.Float32bits(normalW[i])
	}
	return k, w
}()

// The constants of pcg.Uint64.
const (
	pcgMulHi    = 2549297995355413924
	pcgMulLo    = 4865540595714422341
	pcgIncHi    = 6364136223846793005
	pcgIncLo    = 1442695040888963407
	pcgCheapMul = 0xda942042e4dd58b5
)

// pcgVector is pcg.Uint64 on every lane: it returns the lanes' next states and numbers.
// The high half of lo times mulLo is built from products of 32-bit halves, which
// VPMULLQ's low 64 bits hold exactly.
func pcgVector(hi, lo archsimd.Uint64x8) (archsimd.Uint64x8, archsimd.Uint64x8, archsimd.Uint64x8) {
	low32 := archsimd.BroadcastUint64x8(1<<32 - 1)
	a0, a1 := lo.And(low32), lo.ShiftAllRight(32)
	b0, b1 := archsimd.BroadcastUint64x8(pcgMulLo&(1<<32-1)), archsimd.BroadcastUint64x8(pcgMulLo>>32)
	p00, p01, p10, p11 := a0.Mul(b0), a0.Mul(b1), a1.Mul(b0), a1.Mul(b1)
	mid := p00.ShiftAllRight(32).Add(p01.And(low32)).Add(p10.And(low32))
	mulHigh := p11.Add(p01.ShiftAllRight(32)).Add(p10.ShiftAllRight(32)).Add(mid.ShiftAllRight(32))
	mulLow := mid.ShiftAllLeft(32).Or(p00.And(low32))
	// state = state * mul + inc
	hi = mulHigh.Add(hi.Mul(archsimd.BroadcastUint64x8(pcgMulLo))).Add(lo.Mul(archsimd.BroadcastUint64x8(pcgMulHi)))
	incLo := archsimd.BroadcastUint64x8(pcgIncLo)
	lo = mulLow.Add(incLo)
	carry := lo.Less(incLo)
	hi = hi.Add(archsimd.BroadcastUint64x8(pcgIncHi+1).Merge(archsimd.BroadcastUint64x8(pcgIncHi), carry))
	// DXSM "double xorshift multiply"
	x := hi.Xor(hi.ShiftAllRight(32))
	x = x.Mul(archsimd.BroadcastUint64x8(pcgCheapMul))
	x = x.Xor(x.ShiftAllRight(48))
	x = x.Mul(lo.Or(archsimd.BroadcastUint64x8(1)))
	return hi, lo, x
}

// lookup128 is table[i] for each lane's index i < 128, held in the even 32-bit elements
// of idx (the odd ones 0), with table laid out as normalKTable.
func lookup128(table *[8][16]uint32, idx archsimd.Uint32x16, bit5, bit6 archsimd.Mask32x16) archsimd.Uint32x8 {
	r0 := archsimd.LoadUint32x16(&table[0]).ConcatPermute(archsimd.LoadUint32x16(&table[1]), idx)
	r1 := archsimd.LoadUint32x16(&table[2]).ConcatPermute(archsimd.LoadUint32x16(&table[3]), idx)
	r2 := archsimd.LoadUint32x16(&table[4]).ConcatPermute(archsimd.LoadUint32x16(&table[5]), idx)
	r3 := archsimd.LoadUint32x16(&table[6]).ConcatPermute(archsimd.LoadUint32x16(&table[7]), idx)
	r01, r23 := r1.Merge(r0, bit5), r3.Merge(r2, bit5)
	return r23.Merge(r01, bit6).AsUint64x8().TruncateToUint32()
}

// zigguratVector is NormFloat64's first draw on every lane from its number u: x = j w_i,
// and the lanes where x fell outside strip i's rectangle (absInt32(j) >= k_i), whose
// draws normalAfter finishes.
func zigguratVector(u archsimd.Uint64x8) (archsimd.Float64x8, uint8) {
	j := u.TruncateToUint32().AsInt32x8()
	idx := u.ShiftAllRight(32).AsUint32x16().And(archsimd.BroadcastUint32x16(0x7F))
	zero := archsimd.BroadcastUint32x16(0)
	bit5 := idx.And(archsimd.BroadcastUint32x16(32)).NotEqual(zero)
	bit6 := idx.And(archsimd.BroadcastUint32x16(64)).NotEqual(zero)
	k := lookup128(&normalKTable, idx, bit5, bit6)
	w := lookup128(&normalWTable, idx, bit5, bit6)
	x := j.ConvertToFloat64().Mul(w.AsFloat32x8().ConvertToFloat64())
	// |j| as absInt32 (VPABSD leaves -2^31 as 2^31 too), compared unsigned.
	inside := j.Abs().AsUint32x8().Less(k).ToBits()
	return x, ^inside
}

// normal draws a standard normal on every lane, as NormFloat64 on each lane's stream.
func (d *laneDraws) normal(hi, lo archsimd.Uint64x8) (archsimd.Uint64x8, archsimd.Uint64x8, archsimd.Float64x8) {
	hi, lo, u := pcgVector(hi, lo)
	x, edge := zigguratVector(u)
	if edge == 0 {
		return hi, lo, x
	}
	hi.Store(&d.hi)
	lo.Store(&d.lo)
	u.Store(&d.u)
	x.Store(&d.x)
	s := d.stream
	for ; edge != 0; edge &= edge - 1 {
		l := bits.TrailingZeros8(edge)
		s.pcg.hi, s.pcg.lo = d.hi[l], d.lo[l]
		d.x[l] = s.normalAfter(d.u[l])
		d.hi[l], d.lo[l] = s.pcg.hi, s.pcg.lo
	}
	return archsimd.LoadUint64x8(&d.hi), archsimd.LoadUint64x8(&d.lo), archsimd.LoadFloat64x8(&d.x)
}

// drawVector is draw on up to lanes paths, all lanes in vectors: Model.Draw operation for
// operation on each lane.
func (d *laneDraws) drawVector(seed uint64, first int64, out []*Shocks) {
	m := d.m
	p := &m.cfg.Shocks
	T := m.cfg.Days
	for l := range lanes {
		d.hi[l], d.lo[l] = pathSeed(seed, first+int64(l))
	}
	bc := archsimd.BroadcastFloat64x8
	logBar, gammaM, zero := bc(m.logSigmaBar), bc(m.cfg.Funds.GammaM), bc(0)
	phi, eta, rhoF, betaF, pf := bc(p.Phi), bc(p.Eta), bc(p.RhoF), bc(p.BetaF), bc(p.PF)
	unit := bc(1.0 / (1 << 53))
	hi, lo := archsimd.LoadUint64x8(&d.hi), archsimd.LoadUint64x8(&d.lo)
	hi, lo, z := d.normal(hi, lo)
	jump := bc(p.MuJ).Add(bc(p.SJ).Mul(z))
	jump.Store(&d.jump)
	logSigma := logBar.Add(jump)
	f := zero
	for t := 0; t < T; t++ {
		at := t * lanes
		excess := logSigma.Sub(logBar)
		logSigma.Store((*[lanes]float64)(d.sigma[at:]))
		f.Store((*[lanes]float64)(d.f[at:]))
		gammaM.Mul(excess).Store((*[lanes]float64)(d.margin[at:]))
		hi, lo, z = d.normal(hi, lo)
		z.Store((*[lanes]float64)(d.dy[at:]))
		hi, lo, z = d.normal(hi, lo)
		z.Store((*[lanes]float64)(d.noise[at:]))
		if t == T-1 {
			break
		}
		hi, lo, z = d.normal(hi, lo)
		logSigma = logBar.Add(phi.Mul(excess)).Add(eta.Mul(z))
		f = rhoF.Mul(f).Add(betaF.Mul(maxExact(zero, excess)))
		var u archsimd.Uint64x8
		hi, lo, u = pcgVector(hi, lo)
		// Float64: the low 53 bits over 2^53 (times 2^-53, as exact).
		fires := u.ShiftAllLeft(11).ShiftAllRight(11).ConvertToFloat64().Mul(unit).Less(pf).ToBits()
		if fires == 0 {
			continue
		}
		hi.Store(&d.hi)
		lo.Store(&d.lo)
		f.Store(&d.x)
		s := d.stream
		for ; fires != 0; fires &= fires - 1 {
			l := bits.TrailingZeros8(fires)
			s.pcg.hi, s.pcg.lo = d.hi[l], d.lo[l]
			d.x[l] += p.MF * s.ExpFloat64()
			d.hi[l], d.lo[l] = s.pcg.hi, s.pcg.lo
		}
		hi, lo, f = archsimd.LoadUint64x8(&d.hi), archsimd.LoadUint64x8(&d.lo), archsimd.LoadFloat64x8(&d.x)
	}
	n := T * lanes
	expAll(d.sigma[:n])
	expAll(d.margin[:n])
	m0, omega := bc(m.cfg.Funds.M0), bc(p.Omega)
	for at := 0; at < n; at += lanes {
		sigma := archsimd.LoadFloat64x8((*[lanes]float64)(d.sigma[at:]))
		margin := (*[lanes]float64)(d.margin[at:])
		dy, noise := (*[lanes]float64)(d.dy[at:]), (*[lanes]float64)(d.noise[at:])
		m0.Mul(archsimd.LoadFloat64x8(margin)).Store(margin)
		sigma.Mul(archsimd.LoadFloat64x8(dy)).Store(dy)
		omega.Mul(sigma).Mul(archsimd.LoadFloat64x8(noise)).Store(noise)
	}
	archsimd.ClearAVXUpperBits()
	for l, sh := range out {
		sh.Jump = d.jump[l]
		sigma, f, dy, noise, margin := sh.Sigma[:T], sh.F[:T], sh.DY[:T], sh.Noise[:T], sh.Margin[:T]
		for t := range T {
			at := t*lanes + l
			sigma[t], f[t], dy[t], noise[t], margin[t] = d.sigma[at], d.f[at], d.dy[at], d.noise[at], d.margin[at]
		}
	}
}
