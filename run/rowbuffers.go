package run

import (
	"os"
	"sync/atomic"
	"unsafe"

	"github.com/backstop-research/backstop/sim"
)

// rowBuffers are the two row buffers the chunks take turns with (chunk c samples into
// buffer c%2; see sampleAndWrite), allocated before the run starts sampling and touched,
// a page at a time, on a goroutine of their own meanwhile. A buffer's pages are new to
// the process, and the kernel hands each out (zeroed) at its first write, some 2 µs a
// page: touching them while the run plans, checks its parameters, takes its lock and
// clears a previous run (one core at work or none) keeps those faults, about 11,000 for
// a 50,000-path chunk of 3 policies, off the sampling, where both cores are busy.
type rowBuffers struct {
	bufs [2][]sim.Result
	stop atomic.Bool   // asks the toucher to stop at its next page
	done chan struct{} // closed when the toucher has stopped; no write of it comes after
}

// newRowBuffers allocates count (at most 2) buffers of rows rows each and starts touching
// their pages; take stops that before handing one out.
func newRowBuffers(count, rows int) *rowBuffers {
	r := &rowBuffers{done: make(chan struct{})}
	for i := range min(count, len(r.bufs)) {
		r.bufs[i] = make([]sim.Result, rows)
	}
	go func() {
		defer close(r.done)
		// One write a page: the first row of every page-sized stretch, and the last row.
		stride := max(1, os.Getpagesize()/int(unsafe.Sizeof(sim.Result{})))
		for _, b := range r.bufs {
			for i := 0; i < len(b); i += stride {
				if i%(64*stride) == 0 && r.stop.Load() {
					return
				}
				b[i].Path = 0
			}
			if len(b) > 0 {
				b[len(b)-1].Path = 0
			}
		}
	}()
	return r
}

// halt stops the toucher and waits for it: after halt, the buffers are the caller's alone.
// r may be nil.
func (r *rowBuffers) halt() {
	if r == nil {
		return
	}
	r.stop.Store(true)
	<-r.done
}

// take stops the toucher and hands out the next buffer, in the order they were touched
// (nil when r is nil or has none left, for the caller to allocate).
func (r *rowBuffers) take() []sim.Result {
	if r == nil {
		return nil
	}
	r.halt()
	for i, b := range r.bufs {
		if b != nil {
			r.bufs[i] = nil
			return b
		}
	}
	return nil
}
