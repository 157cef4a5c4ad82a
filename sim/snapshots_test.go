package sim

import "testing"

// TestSnapshotSlots checks that snapshots keep each day saved in a slot of its own, in the
// order saved, and give each back by its day, whatever the days and their order of
// restoring; and that arm starts the slots afresh for the next path.
func TestSnapshotSlots(t *testing.T) {
	const T, n = 60, 3
	var sn snapshots
	sn.ensure(T, n)
	for _, days := range [][]int{{0}, {4, 9, 31}, {59}, {1, 2, 3, 58, 59}} {
		sn.arm([]float64{10, 20}, T)
		f := newFunds(n)
		for _, d := range days {
			for j := range n {
				f.pos[j], f.equity[j], f.atDefault[j] = float64(100*d+j), float64(-d-j), float64(d*j)
			}
			f.held, f.defaulted = float64(d)/2, d%n
			sn.save(d, &pathState{auc: float64(d), dysDays: d}, &f)
		}
		if sn.used != len(days) {
			t.Fatalf("days %v: %d slots used", days, sn.used)
		}
		for i := len(days) - 1; i >= 0; i-- {
			d := days[i]
			if got := sn.slot(d); got != i {
				t.Fatalf("days %v: day %d in slot %d, want %d", days, d, got, i)
			}
			g := newFunds(n)
			st := sn.restore(d, &g)
			if st.auc != float64(d) || st.dysDays != d || g.held != float64(d)/2 || g.defaulted != d%n {
				t.Fatalf("days %v: day %d restored as state %+v, held %v, defaulted %d", days, d, st, g.held, g.defaulted)
			}
			for j := range n {
				if g.pos[j] != float64(100*d+j) || g.equity[j] != float64(-d-j) || g.atDefault[j] != float64(d*j) {
					t.Fatalf("days %v: day %d fund %d restored as %v, %v, %v", days, d, j, g.pos[j], g.equity[j], g.atDefault[j])
				}
			}
		}
	}
}
