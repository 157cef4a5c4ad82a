package sim

// laneDraws draws the shocks of a batch of paths, lanes at a time: where the CPU has
// AVX-512 (draws_simd.go), the lanes' PCG streams step together in vectors (two groups of
// lanes side by side), with the ziggurat's common case in vectors too, and each lane's
// rare cases (a normal draw outside its strip's rectangle, the funding shock's size) in
// scalar code on that lane's own stream. Every lane consumes its stream in Model.Draw's
// order, so each path's Shocks are Draw's bit for bit (TestDrawBatchMatchesDraw);
// elsewhere it is Draw path by path.
//
// The vector form leaves a batch's shocks day-major in its buffers (drawBatch), where
// the lockstep simulator reads them as they are (laneGroup.src): day t of every path of
// the batch side by side, so that the lanes of paths 8q..8q+7 are one vector load.
// Per-path Shocks are made from them only when asked for (store, storePath): the
// transposes to per-path series and back into lanes took about 4% of a summary-only
// run's CPU.
type laneDraws struct {
	m      *Model
	stream *Stream // a lane's stream in the rare cases, and the scalar form's
	// The batch's values day by day, day-major (day t of the batch's path i at
	// t*batchPaths + i): log sigma_t then sigma_t, F_t, dy_t, the noise and m_t, as Draw
	// computes them, and each path's J. Shared with pair, each drawing its own paths.
	sigma, f, dy, noise, margin []float64
	jump                        []float64
	at                          int // the batch's path in lane 0 of the vector draw
	// The lanes' PCG states between draws, and what the rare cases read (vector form).
	st *drawLanes
	// The vector draws' constants, made on first use and shared with pair.
	k *drawParams
	// pair draws the second group of lanes beside these (draws_simd.go), made on first use.
	pair *laneDraws
}

// drawLanes are a vector draw's lanes between its steps (draws_simd.go): their PCG states
// hi and lo, the last number u of a normal draw and the funding stress x before a shock,
// on cache lines of their own (newAligned). The vector draws keep no vector in a register
// across a call (the ziggurat's rare cases, the other group's draws): Go spills such
// vectors to its stack 8 bytes past a cache line, where every 64-byte store and load
// takes two.
type drawLanes struct {
	hi, lo, u [lanes]uint64
	x         [lanes]float64
}

// drawParams are Model.Draw's constants in every lane, for the vector draws to load.
type drawParams struct {
	logBar, gammaM, zero, phi, eta, rhoF, betaF, pf, unit, muJ, sJ [lanes]float64
}

// newLaneDraws returns a laneDraws for m's horizon.
func (m *Model) newLaneDraws() *laneDraws {
	n := batchPaths * m.Days()
	buf := make([]float64, 5*n)
	return &laneDraws{
		m:      m,
		stream: NewStream(),
		st:     newAligned[drawLanes](),
		sigma:  buf[0*n : 1*n],
		f:      buf[1*n : 2*n],
		dy:     buf[2*n : 3*n],
		noise:  buf[3*n : 4*n],
		margin: buf[4*n : 5*n],
		jump:   make([]float64, batchPaths),
	}
}

// draw fills out[l] with path first+l's shocks under seed, as Stream.Reset(seed,
// first+l) and Model.Draw do.
func (d *laneDraws) draw(seed uint64, first int64, out []*Shocks) {
	for len(out) > 0 {
		n := min(batchPaths, len(out))
		if useDrawVector {
			d.drawBatch(seed, first, n)
			d.store(out[:n])
		} else {
			d.drawScalar(seed, first, out[:n])
		}
		first, out = first+int64(n), out[n:]
	}
}

// drawBatch draws paths first..first+n-1 (n <= batchPaths) under seed into d's
// day-major buffers, as batch paths 0..n-1, with the vector draws (useDrawVector only).
func (d *laneDraws) drawBatch(seed uint64, first int64, n int) {
	for at := 0; at < n; at += 2 * lanes {
		d.drawVector(seed, first, at)
	}
	d.finish(min(batchPaths, (n+2*lanes-1)&^(2*lanes-1)))
}

// store fills out[i] with batch path i's shocks from d's buffers (drawBatch).
func (d *laneDraws) store(out []*Shocks) {
	for q := 0; q < len(out); q += lanes {
		d.storeLanes(q, out[q:min(q+lanes, len(out))])
	}
}

// storePath fills sh with batch path i's shocks from d's buffers (drawBatch), value by
// value: for the lockstep simulator's rare paths that need a Shocks of their own.
func (d *laneDraws) storePath(i int, sh *Shocks) {
	sh.Jump = d.jump[i]
	for t := range sh.Sigma {
		at := t*batchPaths + i
		sh.Sigma[t], sh.F[t], sh.DY[t], sh.Noise[t], sh.Margin[t] = d.sigma[at], d.f[at], d.dy[at], d.noise[at], d.margin[at]
	}
}

// drawScalar is draw path by path with Model.Draw.
func (d *laneDraws) drawScalar(seed uint64, first int64, out []*Shocks) {
	for l, sh := range out {
		d.stream.Reset(seed, first+int64(l))
		d.m.Draw(d.stream, sh)
	}
}
