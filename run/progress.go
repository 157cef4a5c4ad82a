package run

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultLogInterval is the time between plain progress lines (when stderr is not a
// terminal: scheduler logs).
const DefaultLogInterval = 5 * time.Second

// barInterval is the time between redraws of the live bar.
const barInterval = 100 * time.Millisecond

// Progress reports a run's advance while it samples: a live bar (paths done, paths per
// second, elapsed and remaining time) on a terminal, redrawn in place within Width
// columns; else one plain line every Interval. The zero value reports nothing.
type Progress struct {
	W        io.Writer     // where to report; nil for nowhere
	Bar      bool          // W is a terminal: draw a live bar
	Width    int           // the terminal's columns for the bar; 80 when 0
	Interval time.Duration // between plain lines; DefaultLogInterval when 0
}

// start reports the progress of total paths, counted by done, until the returned stop
// function is called (safe to call more than once). The last report says how many paths
// were done and how long they took, without a percentage or remaining time: a run that
// reached its precision target, or was interrupted, stops short of total.
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
	begin := time.Now()
	interval := p.Interval
	if interval <= 0 {
		interval = DefaultLogInterval
	}
	report := func(final bool) {
		s := snapshot{done: done.Load(), total: total, elapsed: time.Since(begin)}
		switch {
		case p.Bar && final:
			fmt.Fprintf(p.W, "\r\033[K%s\n", s.final())
		case p.Bar:
			fmt.Fprintf(p.W, "\r%s\033[K", s.bar(p.Width))
		case final:
			fmt.Fprintf(p.W, "backstop: %s\n", s.final())
		default:
			fmt.Fprintf(p.W, "backstop: %s\n", s.line())
		}
	}
	every := interval
	if p.Bar {
		every = barInterval
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				report(false)
			case <-quit:
				report(true)
				return
			}
		}
	}()
	return stop
}

// snapshot is the state of a run's sampling at one moment.
type snapshot struct {
	done, total int64
	elapsed     time.Duration
}

func (s snapshot) rate() float64 { return float64(s.done) / max(s.elapsed.Seconds(), 1e-9) }

// remaining is the estimated time to total at the rate so far, "?" before any path.
func (s snapshot) remaining() string {
	if s.done == 0 {
		return "?"
	}
	return roundDuration(time.Duration(float64(s.total-s.done) / s.rate() * float64(time.Second)))
}

// line is a plain progress line for a log.
func (s snapshot) line() string {
	return fmt.Sprintf("%d/%d paths (%.1f%%), %.0f paths/s, elapsed %s, remaining %s",
		s.done, s.total, 100*float64(s.done)/float64(s.total), s.rate(), roundDuration(s.elapsed), s.remaining())
}

// final is the last report: what was done, in how long.
func (s snapshot) final() string {
	what := fmt.Sprintf("sampled %d paths", s.done)
	if s.done < s.total {
		what = fmt.Sprintf("sampled %d paths (stopped before the most, %d)", s.done, s.total)
	}
	return fmt.Sprintf("%s in %s, %.0f paths/s", what, roundDuration(s.elapsed), s.rate())
}

// bar is the live bar within width columns: the text first, then a bar in what is left;
// on a narrow terminal the text is shortened, never wrapped.
func (s snapshot) bar(width int) string {
	if width <= 0 {
		width = 80
	}
	width-- // the cursor's column: a full line would wrap on some terminals
	pct := 100 * float64(s.done) / float64(s.total)
	texts := []string{
		fmt.Sprintf(" %3.0f%% %d/%d paths, %.0f paths/s, elapsed %s, remaining %s", pct, s.done, s.total, s.rate(), roundDuration(s.elapsed), s.remaining()),
		fmt.Sprintf(" %3.0f%% elapsed %s, remaining %s", pct, roundDuration(s.elapsed), s.remaining()),
		fmt.Sprintf(" %3.0f%% remaining %s", pct, s.remaining()),
		fmt.Sprintf(" %3.0f%%", pct),
	}
	text := texts[len(texts)-1]
	for _, t := range texts {
		if len(t)+12 <= width {
			text = t
			break
		}
	}
	if len(text) > width {
		return text[:max(width, 0)]
	}
	cells := min(width-len(text)-2, 40)
	if cells < 5 {
		return text
	}
	filled := int(float64(cells) * float64(s.done) / float64(s.total))
	return "[" + strings.Repeat("=", filled) + strings.Repeat(" ", cells-filled) + "]" + text
}

// roundDuration prints d to the second (to the tenth under ten seconds).
func roundDuration(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
