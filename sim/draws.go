package sim

// laneDraws draws the shocks of a batch of paths, lanes at a time: where the CPU has
// AVX-512 (draws_simd.go), the lanes' PCG streams step together in vectors (two groups of
// lanes side by side), with the ziggurat's common case in vectors too, and each lane's
// rare cases (a normal draw outside its strip's rectangle, the funding shock's size) in
// scalar code on that lane's own stream. Every lane consumes its stream in Model.Draw's order, so each path's Shocks
// are Draw's bit for bit (TestDrawBatchMatchesDraw); elsewhere it is Draw path by path.
type laneDraws struct {
	m      *Model
	stream *Stream // a lane's stream in the rare cases, and the scalar form's
	// The lanes' values day by day, lane-major (day t of lane l at t*lanes + l): log
	// sigma_t then sigma_t, F_t, dy_t, the noise and m_t, as Draw computes them.
	sigma, f, dy, noise, margin []float64
	jump                        [lanes]float64
	// The lanes' PCG states and last draws, where the rare cases read and write them.
	hi, lo, u [lanes]uint64
	x         [lanes]float64
	// pair draws the second group of lanes beside these (draws_simd.go), made on first use.
	pair *laneDraws
}

// newLaneDraws returns a laneDraws for m's horizon.
func (m *Model) newLaneDraws() *laneDraws {
	n := lanes * m.Days()
	buf := make([]float64, 5*n)
	return &laneDraws{
		m:      m,
		stream: NewStream(),
		sigma:  buf[0*n : 1*n],
		f:      buf[1*n : 2*n],
		dy:     buf[2*n : 3*n],
		noise:  buf[3*n : 4*n],
		margin: buf[4*n : 5*n],
	}
}

// draw fills out[l] with path first+l's shocks under seed, as Stream.Reset(seed,
// first+l) and Model.Draw do.
func (d *laneDraws) draw(seed uint64, first int64, out []*Shocks) {
	for len(out) > 0 {
		n := min(lanes, len(out))
		if useDrawVector {
			n = min(2*lanes, len(out))
			d.drawVector(seed, first, out[:n])
		} else {
			d.drawScalar(seed, first, out[:n])
		}
		first, out = first+int64(n), out[n:]
	}
}

// drawScalar is draw path by path with Model.Draw.
func (d *laneDraws) drawScalar(seed uint64, first int64, out []*Shocks) {
	for l, sh := range out {
		d.stream.Reset(seed, first+int64(l))
		d.m.Draw(d.stream, sh)
	}
}
