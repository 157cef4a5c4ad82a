//go:build goexperiment.simd && amd64 && !amd64.v3

package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// TestVectorSimulatorMatchesScalar runs the binary as built (with GOEXPERIMENT=simd, as
// make build and make test build it, the simulator steps 8 paths per AVX-512 vector) and
// again with AVX-512 hidden from it (GODEBUG=cpu.avx512f=off: the scalar simulator), on
// six policies and a path count that ends mid-group of 8, and checks that every metric of
// every path is bit for bit the same, the tables byte for byte, and the rows of the bands
// and convergence files.
//
// It is built only with the experiment (make test runs it so): without it both runs would
// be scalar. It first checks, through backstop version, that the binary does run the
// vectors here and not under the GODEBUG setting; in CI a CPU without AVX-512 fails it.
func TestVectorSimulatorMatchesScalar(t *testing.T) {
	bin := backstopBinary(t)
	dir := t.TempDir()
	kernels := func(env ...string) string {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("backstop version: %v", err)
		}
		return string(out)
	}
	if v := kernels(); !strings.Contains(v, "AVX-512 vector") {
		if os.Getenv("CI") == "" && !strings.Contains(v, "no AVX-512") {
			t.Fatalf("the binary is not built with the vector simulator: %s", v)
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: the binary does not run the vector simulator here, so it is not tested: %s", v)
		}
		t.Skipf("this CPU has no AVX-512: %s", v)
	}
	if v := kernels("GODEBUG=cpu.avx512f=off"); !strings.Contains(v, "path by path") {
		t.Fatalf("GODEBUG=cpu.avx512f=off does not turn the vectors off: %s", v)
	}
	runWith := func(name string, env ...string) string {
		out := filepath.Join(dir, name)
		cmd := exec.Command(bin, "run", "--config", "../../configs/escalation.yaml", "--paths", "3001",
			"--chunk-size", "1000", "--no-figures", "--quiet", "--out", out)
		cmd.Env = append(os.Environ(), env...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s run: %v\n%s", name, err, msg)
		}
		return out
	}
	vector := runWith("vector")
	scalar := runWith("scalar", "GODEBUG=cpu.avx512f=off")
	for _, f := range []string{"summary.csv", "effects.csv", "tails.csv"} {
		a, errA := os.ReadFile(filepath.Join(vector, f))
		b, errB := os.ReadFile(filepath.Join(scalar, f))
		if errA != nil || errB != nil {
			t.Fatalf("read %s: %v, %v", f, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the vector and the scalar simulator", f)
		}
	}
	// The Parquet files carry their creation time: compare their rows (fmt prints every
	// float64 in its shortest form that reads back to the same bits).
	bandsA, _, errA := results.ReadBands(vector)
	bandsB, _, errB := results.ReadBands(scalar)
	if errA != nil || errB != nil || len(bandsA) == 0 {
		t.Fatalf("read bands: %v, %v (%d rows)", errA, errB, len(bandsA))
	}
	if fmt.Sprint(bandsA) != fmt.Sprint(bandsB) {
		t.Error("the bands differ between the vector and the scalar simulator")
	}
	convA, errA := results.ReadConvergence(vector)
	convB, errB := results.ReadConvergence(scalar)
	if errA != nil || errB != nil || len(convA) == 0 {
		t.Fatalf("read convergence: %v, %v (%d rows)", errA, errB, len(convA))
	}
	if fmt.Sprint(convA) != fmt.Sprint(convB) {
		t.Error("the convergence rows differ between the vector and the scalar simulator")
	}
	var names []string
	for _, m := range sim.Metrics {
		names = append(names, m.Name)
	}
	a, errA := results.ReadPathColumns(vector, names)
	b, errB := results.ReadPathColumns(scalar, names)
	if errA != nil || errB != nil {
		t.Fatalf("read parts: %v, %v", errA, errB)
	}
	if len(a.Path) != 3001*6 || len(b.Path) != len(a.Path) {
		t.Fatalf("%d and %d rows, want %d", len(a.Path), len(b.Path), 3001*6)
	}
	for i := range a.Path {
		if a.Path[i] != b.Path[i] || a.Policy[i] != b.Policy[i] {
			t.Fatalf("row %d: path %d %s against %d %s", i, a.Path[i], a.Policy[i], b.Path[i], b.Policy[i])
		}
		for _, name := range names {
			if x, y := a.Columns[name][i], b.Columns[name][i]; math.Float64bits(x) != math.Float64bits(y) {
				t.Fatalf("path %d %s %s: %v with vectors, %v without", a.Path[i], a.Policy[i], name, x, y)
			}
		}
	}
}
