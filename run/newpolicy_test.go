package run_test

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
)

// This file is the whole of a new policy, as a contributor would write it in package sim
// (there, the spec would be one more line in registry.go's list; here RegisterPolicy adds
// it): a type implementing sim.Policy and its PolicySpec. TestNewPolicyIsOneFile runs it
// through the config validation, the simulator, the tables and the figures, which take
// its name, label and colour from the registry alone.

// steadyBuyer buys a fixed amount of the funds' cash sales every day the basis is above
// the dysfunction threshold, and holds what it buys. It has no parameters of its own.
type steadyBuyer struct {
	threshold float64 // b_dys, bp
	held      float64 // $bn
}

const steadyDaily = 25 // $bn a day at most

func (s *steadyBuyer) Start()                             { s.held = 0 }
func (s *steadyBuyer) Adjust(sim.Day, *sim.Conditions)    {}
func (s *steadyBuyer) Settle(_ sim.Day, a sim.Absorption) { s.held += a.Cash }
func (s *steadyBuyer) Sheet() sim.Sheet                   { return sim.Sheet{Holdings: s.held, ClosedDay: -1} }
func (s *steadyBuyer) Absorb(d sim.Day) sim.Absorption {
	if d.Basis <= s.threshold {
		return sim.Absorption{}
	}
	return sim.Absorption{Cash: min(d.Sales, steadyDaily)}
}

var steadyBuyerPolicy = sim.PolicySpec{
	Name:        "steady",
	Label:       "steady (fixed daily purchases)",
	Color:       "#7F3C8D",
	Description: "buys up to $25bn of the funds' cash sales a day while the basis is above b_dys",
	Holdings:    "steady holdings (outright)",
	New:         func(c *sim.Config) sim.Policy { return &steadyBuyer{threshold: c.Market.BDys} },
}

var registerSteady sync.Once

func TestNewPolicyIsOneFile(t *testing.T) {
	registerSteady.Do(func() { sim.RegisterPolicy(steadyBuyerPolicy) })

	cfg, err := configs.Decode([]byte("policies: [none, steady]\npaths: 1000\n"), "steady.yaml")
	if err != nil {
		t.Fatalf("a registered policy is a valid policies entry: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "steady")
	o, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: dir, ChunkSize: 500, Figures: true})
	if err != nil {
		t.Fatal(err)
	}

	// The simulator ran it: it bought, and buying the funds' cash sales lowered the peak
	// basis on the same shocks (the paired effect's 95% CI lies below 0).
	var held, effect bool
	for _, r := range o.Summary {
		if r.Policy == "steady" && r.Metric == "peak_cb_holdings_bn" {
			held = r.Lo > 0
		}
	}
	for _, e := range o.Effects {
		if e.A == "steady" && e.B == "none" && e.Metric == "peak_basis_bp" {
			effect = e.Hi < 0
		}
	}
	if !held || !effect {
		t.Errorf("steady: holdings CI above 0 %v, peak-basis effect CI below 0 %v; want both", held, effect)
	}

	// The figures drew it in its registered colour.
	want := plots.PolicyColor("steady", cfg.Policies)
	if want.R != 0x7F || want.G != 0x3C || want.B != 0x8D {
		t.Fatalf("PolicyColor(steady) = %v, want the spec's #7F3C8D", want)
	}
	f, err := os.Open(filepath.Join(dir, results.FiguresDir, "basis_fan.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == 0x7F && g>>8 == 0x3C && bl>>8 == 0x8D {
				found++
			}
		}
	}
	if found < 50 {
		t.Errorf("basis_fan.png has %d pixels of steady's colour #7F3C8D, want its median line and key", found)
	}
}
