package run

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBarFitsWidth checks that the live bar never reaches the terminal's last column (it
// would wrap into a scrolling list) and labels its times.
func TestBarFitsWidth(t *testing.T) {
	s := snapshot{done: 123_456, total: 2_000_000, elapsed: 83 * time.Second}
	for _, width := range []int{10, 20, 40, 60, 80, 120, 200} {
		b := s.bar(width)
		if len(b) >= width || strings.ContainsAny(b, "\n\r") {
			t.Errorf("width %d: bar %q is %d columns", width, b, len(b))
		}
		if width >= 60 && (!strings.Contains(b, "elapsed 1m23s") || !strings.Contains(b, "remaining ")) {
			t.Errorf("width %d: bar %q does not label elapsed and remaining time", width, b)
		}
	}
}

// TestProgressLogLines checks the plain lines of a scheduler log: labelled times while
// sampling, and a last line without a percentage or remaining time when the run stopped
// short of its most paths (a precision target reached).
func TestProgressLogLines(t *testing.T) {
	var buf strings.Builder
	var done atomic.Int64
	stop := Progress{W: &buf, Interval: 20 * time.Millisecond}.start(1000, &done)
	done.Store(500)
	time.Sleep(70 * time.Millisecond)
	stop()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("want progress lines and a last one, got %q", buf.String())
	}
	if !strings.Contains(lines[0], "500/1000 paths (50.0%)") || !strings.Contains(lines[0], "elapsed ") || !strings.Contains(lines[0], "remaining ") {
		t.Errorf("progress line %q", lines[0])
	}
	last := lines[len(lines)-1]
	if strings.Contains(last, "%") || strings.Contains(last, "remaining") || !strings.Contains(last, "sampled 500 paths (stopped before the most, 1000)") {
		t.Errorf("last line %q", last)
	}
}
