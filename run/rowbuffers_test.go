package run

import (
	"testing"
)

// TestRowBuffers checks the buffers handed out before sampling: as many as asked (at most
// two) of the rows asked, in order, then none; zero, whether the toucher finished or was
// stopped at once (it writes zeros only, and no more once take has returned: the race
// detector sees a write after); and halt is safe on a nil set and twice.
func TestRowBuffers(t *testing.T) {
	for _, tc := range []struct {
		name        string
		count, rows int
		wait        bool // let the toucher finish before the first take
		want        int  // buffers handed out
	}{
		{name: "none", count: 0, rows: 100, want: 0},
		{name: "one", count: 1, rows: 150_000, wait: true, want: 1},
		{name: "two, stopped at once", count: 2, rows: 150_000, want: 2},
		{name: "two, touched", count: 2, rows: 150_000, wait: true, want: 2},
		{name: "more than two", count: 5, rows: 3, wait: true, want: 2},
		{name: "a row", count: 2, rows: 1, want: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRowBuffers(tc.count, tc.rows)
			if tc.wait {
				<-r.done
			}
			got := 0
			for i := 0; ; i++ {
				b := r.take()
				if b == nil {
					break
				}
				if len(b) != tc.rows {
					t.Fatalf("buffer %d: %d rows, want %d", i, len(b), tc.rows)
				}
				for k := range b {
					if b[k].Path != 0 || b[k].Policy != 0 || b[k].Values[0] != 0 {
						t.Fatalf("buffer %d, row %d: %+v, want zero", i, k, b[k])
					}
					b[k].Path = int64(k + 1) // the sampler's writes, racing any late touch
				}
				got++
				if i > 2 {
					t.Fatal("take hands out buffers without end")
				}
			}
			if got != tc.want {
				t.Fatalf("%d buffers, want %d", got, tc.want)
			}
			r.halt()
		})
	}
	var r *rowBuffers
	r.halt()
	if b := r.take(); b != nil {
		t.Fatalf("a nil set hands out %d rows", len(b))
	}
}
