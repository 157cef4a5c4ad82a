package sim_test

import (
	"math"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// TestCentralBankShare checks the split of an SPV's realized P&L between its first-loss
// equity eq M and the central bank's loan (1 - eq) M.
func TestCentralBankShare(t *testing.T) {
	tests := []struct {
		name            string
		gain, m, eq, cb float64
	}{
		{"gain shared pro rata", 10, 300, 0.1, 9},
		{"gain, more equity", 10, 300, 0.5, 5},
		{"gain, no equity", 10, 300, 0, 10},
		{"loss within the equity", -20, 300, 0.1, 0},
		{"loss at the equity", -30, 300, 0.1, 0},
		{"loss beyond the equity", -50, 300, 0.1, -20},
		{"loss, no equity", -50, 300, 0, -50},
	}
	for _, tc := range tests {
		if got := sim.CentralBankShare(tc.gain, tc.m, tc.eq); math.Abs(got-tc.cb) > 1e-12 {
			t.Errorf("%s: CentralBankShare(%v, %v, %v) = %v, want %v", tc.name, tc.gain, tc.m, tc.eq, got, tc.cb)
		}
	}
}

// TestSPVEquityChangesCentralBankPnL runs the spv on the same shocks with 10% and 50%
// first-loss equity: the central bank's P&L scales by (1 - 0.5) / (1 - 0.1) path by path
// (the vehicle, bought at a positive basis and held to delivery, only gains), and nothing
// else changes: equity splits the vehicle's P&L, it does not change what it buys.
func TestSPVEquityChangesCentralBankPnL(t *testing.T) {
	results := func(eq float64) []sim.Result {
		cfg := configs.Baseline()
		cfg.Policies = []string{"spv"}
		cfg.SPV.Equity = eq
		model, err := sim.NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		pol, err := sim.NewPolicy("spv", &cfg)
		if err != nil {
			t.Fatal(err)
		}
		s, stream, sh := model.NewSimulator(), sim.NewStream(), sim.NewShocks(cfg.Days)
		out := make([]sim.Result, 500)
		for i := range out {
			stream.Reset(cfg.Seed, int64(i))
			model.Draw(stream, sh)
			s.Run(sh, pol, &out[i], nil, nil)
		}
		return out
	}
	lo, hi := results(0.1), results(0.5)
	closed := 0
	for i := range lo {
		a, b := lo[i].Values, hi[i].Values
		for m := range a {
			if m != int(sim.CBPnLBN) && a[m] != b[m] {
				t.Fatalf("path %d: %s differs (%v, %v) with more equity", i, sim.Metrics[m].Name, a[m], b[m])
			}
		}
		pa, pb := a[sim.CBPnLBN], b[sim.CBPnLBN]
		if pa < 0 || math.Abs(pb-pa*0.5/0.9) > 1e-12*math.Max(1, pa) {
			t.Fatalf("path %d: central-bank P&L %v with 10%% equity, %v with 50%%; want the second 5/9 of the first", i, pa, pb)
		}
		if pa > 0 {
			closed++
		}
	}
	if closed == 0 {
		t.Fatal("no path where the SPV bought and closed: the test checks nothing")
	}
}
