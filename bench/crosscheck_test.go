package bench

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// The cross-check runs both implementations on crossPaths paths of the baseline. They
// draw from unrelated random streams, so the two means of a metric are independent
// estimates of one expectation: their difference, over its standard error
// sqrt(se_go^2 + se_numpy^2), is approximately standard normal. crossZ = 4 keeps the
// chance of a false alarm over the 48 comparisons (16 metrics x 3 policies) below 0.4%.
const (
	crossPaths = 20_000
	crossSeed  = 7
	crossZ     = 4.0
)

// pythonCandidates are tried in order: Debian's python3 (where apt's python3-numpy lives)
// first, because python3 on PATH may be a pyenv or venv interpreter without NumPy.
var pythonCandidates = []string{"/usr/bin/python3", "python3"}

// findPython returns the first candidate interpreter that can import numpy, or "".
func findPython() string {
	for _, py := range pythonCandidates {
		if err := exec.Command(py, "-c", "import numpy").Run(); err == nil {
			return py
		}
	}
	return ""
}

// refStats is one metric's summary as numpy_ref.py writes it.
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

func TestCrossCheckNumPy(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000-path NumPy cross-check skipped in -short mode")
	}
	py := findPython()
	if py == "" {
		msg := "no Python with NumPy found (tried /usr/bin/python3, python3); install it with apt-get install python3-numpy"
		if os.Getenv("CI") != "" {
			t.Fatal("CI: " + msg)
		}
		t.Skip("SKIPPED NumPy cross-check: " + msg)
	}

	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}

	// The NumPy reference.
	out := filepath.Join(t.TempDir(), "numpy_ref.json")
	start := time.Now()
	// Both read configs/baseline.yaml (the Go side through its embedded copy), so the
	// check compares implementations, not two copies of the defaults.
	cmd := exec.Command(py, "numpy_ref.py", "--config", filepath.Join("..", "configs", "baseline.yaml"),
		"--paths", strconv.Itoa(crossPaths), "--seed", strconv.Itoa(crossSeed), "--json", out, "--quiet")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s numpy_ref.py: %v\n%s", py, err, msg)
	}
	numpyTime := time.Since(start)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var ref refOutput
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatalf("numpy_ref.py output: %v", err)
	}

	// The Go simulator, through the sampler, on every policy of the baseline.
	start = time.Now()
	n := crossPaths
	values := make([][sim.NumMetrics][]float64, len(cfg.Policies))
	for k := range values {
		for m := range values[k] {
			values[k][m] = make([]float64, n)
		}
	}
	s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: crossSeed}
	err = s.Run(context.Background(), 0, n, func(_, _ int, res []sim.Result, _ [][]float64) {
		for k, r := range res {
			for m, v := range r.Values {
				values[k][m][r.Path] = v
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	goTime := time.Since(start)
	t.Logf("%d paths x %d policies: Go %v, NumPy %v (%s; its own timer %.2fs)",
		n, len(cfg.Policies), goTime.Round(time.Millisecond), numpyTime.Round(time.Millisecond), py, ref.WallSeconds)

	for k, pol := range cfg.Policies {
		refPol, ok := ref.Metrics[pol]
		if !ok {
			t.Errorf("numpy_ref.py output has no policy %q", pol)
			continue
		}
		for m := range sim.NumMetrics {
			name := sim.Metrics[m].Name
			r, ok := refPol[name]
			if !ok {
				t.Errorf("numpy_ref.py output has no %s %s", pol, name)
				continue
			}
			if r.N != n {
				t.Errorf("%s %s: numpy_ref.py used %d paths, want %d", pol, name, r.N, n)
			}
			goMean := stats.Mean(values[k][m], 0.95)
			mean := goMean.Estimate
			se := math.Sqrt(goMean.SE*goMean.SE + r.SD*r.SD/float64(r.N))
			diff := mean - r.Mean
			if se == 0 {
				// Constant on both sides (CB holdings under none, DV01 under spv, ...):
				// the constants must agree.
				if math.Abs(diff) > 1e-9*math.Max(1, math.Abs(mean)) {
					t.Errorf("%s %s: constant %g in Go, %g in NumPy", pol, name, mean, r.Mean)
				}
				continue
			}
			zScore := diff / se
			if math.Abs(zScore) > crossZ {
				t.Errorf("%s %s: mean %.5g in Go, %.5g in NumPy: difference %.3g is %.1f standard errors (limit %g)",
					pol, name, mean, r.Mean, diff, zScore, crossZ)
			} else if testing.Verbose() {
				t.Logf("%-4s %-24s Go %10.5g  NumPy %10.5g  z %+5.2f", pol, name, mean, r.Mean, zScore)
			}
		}
	}
}
