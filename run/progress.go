package run

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// DefaultLogInterval is the time between plain progress lines (when stderr is not a
// terminal: scheduler logs).
const DefaultLogInterval = 5 * time.Second

// Progress reports a run's advance while it samples: a live bar (paths done, paths per
// second, ETA) on a terminal, else one plain line every Interval. The zero value reports
// nothing.
type Progress struct {
	W        io.Writer     // where to report; nil for nowhere
	Bar      bool          // W is a terminal: draw a live bar
	Interval time.Duration // between plain lines; DefaultLogInterval when 0
}

// start reports the progress of total paths, counted by done, until the returned stop
// function is called (safe to call more than once).
func (p Progress) start(total int64, done *atomic.Int64) (stop func()) {
	if p.W == nil || total == 0 {
		return func() {}
	}
	quit, finished := make(chan struct{}), make(chan struct{})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			close(quit)
			<-finished
		})
	}
	if p.Bar {
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.W),
			progressbar.OptionSetDescription("backstop"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("paths"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.W) }),
		)
		go func() {
			defer close(finished)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					bar.Set64(done.Load())
				case <-quit:
					bar.Set64(done.Load())
					if done.Load() < total {
						fmt.Fprintln(p.W)
					}
					return
				}
			}
		}()
		return stop
	}
	interval := p.Interval
	if interval <= 0 {
		interval = DefaultLogInterval
	}
	start := time.Now()
	line := func() {
		n := done.Load()
		el := time.Since(start).Seconds()
		rate := float64(n) / max(el, 1e-9)
		eta := "?"
		if rate > 0 {
			eta = (time.Duration(float64(total-n)/rate) * time.Second).Round(time.Second).String()
		}
		fmt.Fprintf(p.W, "backstop: %d/%d paths (%.1f%%), %.0f paths/s, ETA %s\n", n, total, 100*float64(n)/float64(total), rate, eta)
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				line()
			case <-quit:
				line()
				return
			}
		}
	}()
	return stop
}
