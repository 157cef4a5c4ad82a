package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// The cross-checks run the Go simulator and each reference implementation (NumPy, Numba)
// on crossPaths paths of the baseline. They draw from unrelated random streams, so the two
// means of a metric are independent estimates of one expectation: their difference, over
// its standard error sqrt(se_go^2 + se_ref^2), is approximately standard normal. crossZ = 4
// keeps the chance of a false alarm over the 108 comparisons (18 metrics x 3 policies x 2
// references) below 0.7%; the seeds are fixed, so a pass is reproducible.
const (
	crossPaths = 20_000
	crossSeed  = 7
	crossZ     = 4.0
)

// pythonCandidates are tried in order: Debian's python3 (where apt's python3-numpy and
// python3-numba live) first, because python3 on PATH may be a pyenv or venv interpreter
// without them.
var pythonCandidates = []string{"/usr/bin/python3", "python3"}

// findPython returns the first candidate interpreter that can import module, or "".
func findPython(module string) string {
	for _, py := range pythonCandidates {
		if err := exec.Command(py, "-c", "import "+module).Run(); err == nil {
			return py
		}
	}
	return ""
}

// requirePython returns an interpreter that imports module, or skips the test (fails it
// under CI) naming the Debian package to install.
func requirePython(t *testing.T, module, pkg string) string {
	t.Helper()
	py := findPython(module)
	if py == "" {
		msg := fmt.Sprintf("no Python with %s found (tried %s); install it with apt-get install %s",
			module, strings.Join(pythonCandidates, ", "), pkg)
		if os.Getenv("CI") != "" {
			t.Fatal("CI: " + msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	return py
}

// refStats is one metric's summary as numpy_ref.py and numba_ref.py write it.
type refStats struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

type refOutput struct {
	Paths       int                            `json:"paths"`
	WallSeconds float64                        `json:"wall_seconds"`
	Metrics     map[string]map[string]refStats `json:"metrics"`
}

// runReference runs a reference script on crossPaths paths of configs/baseline.yaml (the
// Go side reads the same file through its embedded copy, so the check compares
// implementations, not two copies of the defaults) with extra arguments and environment,
// and returns its output and wall time.
func runReference(t *testing.T, py, script string, env []string, extra ...string) (refOutput, time.Duration) {
	t.Helper()
	out := filepath.Join(t.TempDir(), script+".json")
	args := append([]string{script, "--config", filepath.Join("..", "configs", "baseline.yaml"),
		"--paths", strconv.Itoa(crossPaths), "--seed", strconv.Itoa(crossSeed), "--json", out, "--quiet"}, extra...)
	cmd := exec.Command(py, args...)
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", py, script, err, msg)
	}
	elapsed := time.Since(start)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var ref refOutput
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatalf("%s output: %v", script, err)
	}
	return ref, elapsed
}

// goSample is the Go simulator's per-path metrics on crossPaths paths of the baseline,
// values[policy][metric][path], computed once for every cross-check.
var goSample = sync.OnceValues(func() ([][sim.NumMetrics][]float64, error) {
	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		return nil, err
	}
	values := make([][sim.NumMetrics][]float64, len(cfg.Policies))
	for k := range values {
		for m := range values[k] {
			values[k][m] = make([]float64, crossPaths)
		}
	}
	s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: crossSeed}
	err = s.Run(context.Background(), 0, crossPaths, func(_, _ int, res []sim.Result, _ [][]float64) {
		for k, r := range res {
			for m, v := range r.Values {
				values[k][m][r.Path] = v
			}
		}
	})
	return values, err
})

// compareMeans checks every metric's mean under every baseline policy against the
// reference named impl: equal constants where both sides are constant, else within crossZ
// standard errors.
func compareMeans(t *testing.T, impl string, ref refOutput, values [][sim.NumMetrics][]float64) {
	t.Helper()
	n := crossPaths
	for k, pol := range configs.Baseline().Policies {
		refPol, ok := ref.Metrics[pol]
		if !ok {
			t.Errorf("%s output has no policy %q", impl, pol)
			continue
		}
		for m := range sim.NumMetrics {
			name := sim.Metrics[m].Name
			r, ok := refPol[name]
			if !ok {
				t.Errorf("%s output has no %s %s", impl, pol, name)
				continue
			}
			if r.N != n {
				t.Errorf("%s %s: %s used %d paths, want %d", pol, name, impl, r.N, n)
			}
			goMean := stats.Mean(values[k][m], 0.95)
			mean := goMean.Estimate
			se := math.Sqrt(goMean.SE*goMean.SE + r.SD*r.SD/float64(r.N))
			diff := mean - r.Mean
			if se == 0 {
				// Constant on both sides (CB holdings under none, DV01 under spv, ...):
				// the constants must agree.
				if math.Abs(diff) > 1e-9*math.Max(1, math.Abs(mean)) {
					t.Errorf("%s %s: constant %g in Go, %g in %s", pol, name, mean, r.Mean, impl)
				}
				continue
			}
			zScore := diff / se
			if math.Abs(zScore) > crossZ {
				t.Errorf("%s %s: mean %.5g in Go, %.5g in %s: difference %.3g is %.1f standard errors (limit %g)",
					pol, name, mean, r.Mean, impl, diff, zScore, crossZ)
			} else if testing.Verbose() {
				t.Logf("%-4s %-24s Go %10.5g  %s %10.5g  z %+5.2f", pol, name, mean, impl, r.Mean, zScore)
			}
		}
	}
}

func TestCrossCheckNumPy(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000-path NumPy cross-check skipped in -short mode")
	}
	py := requirePython(t, "numpy", "python3-numpy")
	ref, numpyTime := runReference(t, py, "numpy_ref.py", nil)
	start := time.Now()
	values, err := goSample()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d paths x %d policies: Go %v (or cached), NumPy %v (%s; its own timer %.2fs)",
		crossPaths, len(values), time.Since(start).Round(time.Millisecond), numpyTime.Round(time.Millisecond), py, ref.WallSeconds)
	compareMeans(t, "NumPy", ref, values)
}
