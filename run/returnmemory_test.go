package run_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/metrics"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/run"
)

// TestReturnMemory runs the same 2-chunk run with and without ReturnMemory (and with it
// and figures, where it does nothing) and checks that the tables are the same bytes, and
// that with it, and no figures, the memory of the chunks' row buffers (2 of 30,000 rows
// here, 4.5 MB each) is back with the system when Execute returns: the heap's released
// pages grew by at least one buffer's worth during the run (65 to 92 MB here), which they
// do not without it (the runtime's own background scavenger returns far less in a run
// this short; the released pages shrank by 1 to 28 MB in the other two cases).
func TestReturnMemory(t *testing.T) {
	cfg := configs.Baseline()
	cfg.Paths = 20_000
	const rowBuffer = 10_000 * 3 * 150 // paths x policies x bytes a row, about
	var want map[string][]byte
	for _, tc := range []struct {
		name         string
		ret, figures bool
		returned     bool // at least a row buffer's memory returned during the run, or less
	}{
		{name: "kept", ret: false},
		{name: "returned", ret: true, returned: true},
		{name: "figures", ret: true, figures: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			released0 := heapReleased()
			if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 10_000, Workers: 2, ReturnMemory: tc.ret, Figures: tc.figures}); err != nil {
				t.Fatal(err)
			}
			if got := int64(heapReleased()) - int64(released0); (got >= rowBuffer) != tc.returned {
				t.Errorf("%.1f MB more of the heap released during the run; want at least %.1f: %v", float64(got)/1e6, float64(rowBuffer)/1e6, tc.returned)
			}
			got := map[string][]byte{}
			for _, f := range []string{"summary.csv", "effects.csv", "tails.csv"} {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				got[f] = b
			}
			if want == nil {
				want = got
				return
			}
			for f := range want {
				if !bytes.Equal(got[f], want[f]) {
					t.Errorf("%s differs from the run's without ReturnMemory", f)
				}
			}
		})
	}
}

// heapReleased is the memory of the heap returned to the system.
func heapReleased() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
