package run

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/backstop-research/backstop/sim"
)

// sampleChunk simulates chunk c into rows (path-major, a buffer of at least the chunk's
// rows) and tally (empty, not yet folded) and returns the chunk's rows. Two buffers and
// tallies take turns: chunk c's are in use until its write is done, while chunk c+1 is
// sampled into the others. It tells ready as the rows of each block are stored, and when
// the sampling has ended, with its error.
func (j *job) sampleChunk(ctx context.Context, sampler *sim.Sampler, c int, rows []sim.Result, tally *chunkTally, counter *atomic.Int64, ready *rowsReady) (_ []sim.Result, err error) {
	first := int64(c) * int64(j.opt.ChunkSize)
	n := j.chunkPaths(c)
	chunkRows := rows[:n*j.l.policies]
	// Progress counts 64 paths at every path whose index is 63 mod 64 (so the workers do
	// not contend for the counter's cache line on every path), and the rest at the end.
	const step = 64
	check := &finiteCheck{}
	defer func() { ready.finish(err) }()
	err = sampler.Run(ctx, first, n, func(w, b int, res []sim.Result, days [][]float64) {
		p := int(res[0].Path - first)
		i := p * j.l.policies
		copy(chunkRows[i:i+j.l.policies], res)
		ready.stored(b, p)
		if !tally.visit(w, b, res, days, res[0].Path%j.bandStride == 0) {
			check.visit(j.cfg.Policies, res, days) // names the value the tallies cannot hold
		}
		if res[0].Path%step == step-1 {
			counter.Add(step)
		}
	})
	end := first + int64(n)
	counter.Add(int64(n) - step*(end/step-first/step))
	if cerr := check.err(); cerr != nil && err == nil {
		err = fmt.Errorf("chunk %d: %v: the parameters overflow on this path; bring the extreme values back into range", c, cerr)
	}
	return chunkRows, err
}
