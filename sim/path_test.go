package sim_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// handShocks are two days of shocks chosen so every branch of the first days is active:
// a stress jump, a funding shock on day 1, yield moves and basis noise.
func handShocks(cfg *sim.Config) *sim.Shocks {
	sh := sim.NewShocks(2)
	sh.Jump = 0.5
	copy(sh.Sigma, []float64{9, 8})
	copy(sh.F, []float64{0, 0.8})
	copy(sh.DY, []float64{3, -2})
	copy(sh.Noise, []float64{0.2, -0.1})
	for t, s := range sh.Sigma {
		sh.Margin[t] = cfg.Funds.M0 * math.Pow(s/cfg.Shocks.SigmaBar, cfg.Funds.GammaM)
	}
	return sh
}

// handConfig is one fund of $100bn with a buffer of 0.2 over two days, with policy
// triggers below zero so that the policies act from day 0.
func handConfig() sim.Config {
	cfg := configs.Baseline()
	cfg.Days = 2
	cfg.Funds.NFunds = 1
	cfg.Funds.B0 = 100
	cfg.Funds.ULo, cfg.Funds.UHi = 0.2, 0.2
	cfg.QE.Trigger = -5
	cfg.SPV.Trigger = -5
	cfg.SPV.TExp = 1
	return cfg
}

// TestHandCheckedTwoDays recomputes two days of one path by hand, line by line from
// docs/model.md sections 3 to 6, and compares every recorded quantity.
func TestHandCheckedTwoDays(t *testing.T) {
	cfg := handConfig()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sh := handShocks(&cfg)

	for _, policy := range []string{"none", "qe", "spv"} {
		t.Run(policy, func(t *testing.T) {
			// By hand. Day 0: b_0 = b_{-1} = 0, I_0 = 0, F_0 = 0.
			B, E := 100.0, 100*0.02*1.2 // B_j0 and E_j0 = B r_0 (1 + u)
			E0 := E
			b, bPrev, I := 0.0, 0.0, 0.0
			Q, M, cost, pnl := 0.0, 0.0, 0.0, 0.0
			var forcedSum, salesSum, peakB, auc, peakUtl, peakHold, peakDV01 float64
			peakB = math.Inf(-1)
			minEq := math.Inf(1)
			closed := -1.0
			for d := 0; d < 2; d++ {
				sigma, F := sh.Sigma[d], sh.F[d]
				h := 0.005 + 0.005*F
				m := 0.015 * math.Pow(sigma/6, 0.7)
				r := h + m
				sb := 0.05*sigma + math.Abs(b-bPrev)
				capacity := E / r
				target := math.Min(math.Min(E/(r*1.2), 0.25*E*1e4/(5*2.33*sb)), 100)
				forced := math.Max(0, B-capacity)
				S := forced + 0.2*math.Max(0, math.Min(B, capacity)-target)
				R := 0.0
				if b <= 20 {
					R = 0.02 * math.Max(0, target-B)
				}
				P, A := 0.0, 0.0
				switch policy {
				case "qe":
					P = math.Min(S, math.Min(362.0/5, 1000-Q)) // b > -5 holds
				case "spv":
					if d < 1 { // t < t_exp
						A = math.Min(S, 500-M)
					}
				}
				xc, xf := S-R-P-A, S-R-A
				K := 400 / (1 + 0.5*F)
				lambda := 0.015 / math.Max(0.05, 1-I/K)
				push := lambda * (0.6*xc + 0.4*xf)
				bNext := math.Max(-10, 0.9*b+push+sh.Noise[d])
				INext := math.Max(0, 0.9*I+xc)
				c := math.Max(push, 0) / 2
				share := 0.0
				if S > 0 {
					share = A / S
				}
				spread := 10 + 25*F
				Bbefore := B
				B = B - S + R
				E = E - 5*B*(bNext-b)/1e4 - 5*S*(1-share)*c/1e4 - 5*S*share*5/1e4 + Bbefore*(30-spread)/(252*1e4)
				if E <= 0 {
					t.Fatalf("the hand case is meant to keep the fund alive; E = %v", E)
				}
				switch policy {
				case "qe":
					Q += P
					pnl += -8 * Q * sh.DY[d] / 1e4
					peakDV01 = math.Max(peakDV01, 8*Q*1e-4)
					peakHold = math.Max(peakHold, Q)
				case "spv":
					M += A
					cost += A * (b + 5)
					peakHold = math.Max(peakHold, M)
					if d == 1 && M > 0 {
						pnl = (1 - 0.10) * 5 * cost / 1e4 // the central bank lends 90%; the equity holds 10% (a gain: pro rata)
						M = 0
						closed = 1
					}
				}
				forcedSum += forced
				salesSum += S
				peakB = math.Max(peakB, bNext)
				auc += math.Max(bNext, 0)
				peakUtl = math.Max(peakUtl, INext/K)
				minEq = math.Min(minEq, E)
				bPrev, b, I = b, bNext, INext
			}
			want := map[sim.Metric]float64{
				sim.StressJump: 0.5, sim.PeakVolBP: 9, sim.PeakFundingStress: 0.8,
				sim.PeakBasisBP: peakB, sim.BasisAUCBPDays: auc, sim.DaysDysfunction: 0,
				sim.ForcedSalesBN: forcedSum, sim.TotalSalesBN: salesSum,
				sim.HFEquityMinBN: minEq, sim.HFLossBN: E0 - E, sim.FundsDefaulted: 0,
				sim.PeakCBHoldingsBN: peakHold, sim.CBDV01PeakBNPerBP: peakDV01, sim.CBPnLBN: pnl,
				sim.SPVClosedDay: closed, sim.PeakDealerUtilization: peakUtl,
			}
			pol, err := sim.NewPolicy(policy, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			var res sim.Result
			model.NewSimulator().Run(sh, pol, &res, nil, nil)
			if salesSum <= 0 || (policy != "none" && peakHold <= 0) || (policy == "spv" && closed != 1) {
				t.Fatalf("the hand case must sell, buy and close to test the flows: sales %v, holdings %v, closed %v", salesSum, peakHold, closed)
			}
			for m, w := range want {
				got := res.Values[m]
				if math.Abs(got-w) > 1e-12*math.Max(1, math.Abs(w)) {
					t.Errorf("%s = %.15g, by hand %.15g", sim.Metrics[m].Name, got, w)
				}
			}
		})
	}
}

// TestTraceReset: a trace Reset between paths records each path as a new trace does, and
// reuses its storage: after the first path, recording a path allocates nothing.
func TestTraceReset(t *testing.T) {
	cfg := shippedConfig(t, "march2020.yaml")
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := sim.NewPolicy("qe", &cfg)
	if err != nil {
		t.Fatal(err)
	}
	one, reused := model.NewSimulator(), model.NewSimulator()
	stream, sh := sim.NewStream(), sim.NewShocks(cfg.Days)
	var tr sim.Trace
	var res sim.Result
	for i := int64(0); i < 20; i++ {
		stream.Reset(cfg.Seed, i)
		model.Draw(stream, sh)
		var want sim.Trace
		one.Run(sh, pol, &res, nil, &want)
		tr.Reset()
		reused.Run(sh, pol, &res, nil, &tr)
		if !reflect.DeepEqual(tr.Days, want.Days) {
			t.Fatalf("path %d: the reset trace differs from a new one", i)
		}
	}
	if allocs := testing.AllocsPerRun(10, func() {
		tr.Reset()
		reused.Run(sh, pol, &res, nil, &tr)
	}); allocs != 0 {
		t.Errorf("a reset trace allocates %v times per path, want 0", allocs)
	}
}
