package sim_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// laneKernels are the fund loops the lockstep simulator is tested with: the scalar ones
// in every build, the vector ones where the build and the CPU have them.
func laneKernels(t *testing.T) []bool {
	t.Helper()
	if sim.VectorBuild && !sim.VectorLanes() {
		if os.Getenv("CI") != "" {
			t.Fatal("built with GOEXPERIMENT=simd, but this CPU has no AVX-512: the vector kernels cannot be tested")
		}
		t.Log("no AVX-512 on this CPU: the vector kernels are not tested")
	}
	if sim.VectorLanes() {
		return []bool{false, true}
	}
	return []bool{false}
}

// laneConfigs are the scenarios the lockstep simulator must reproduce: the baseline, the
// escalation, every option of docs/model-extensions.md on, the literal forced-sales
// count, and a policy list without none (no shortcut).
func laneConfigs(t *testing.T) map[string]sim.Config {
	t.Helper()
	all := configs.Baseline()
	all.Policies = sim.PolicyNames()
	march := shippedConfig(t, "march2020.yaml") // other sellers, shrinking buffers, the qe schedule
	march.Policies = sim.PolicyNames()
	repo := march
	repo.Repo = sim.RepoParams{Capacity: 605, Kappa: 0.3}
	literal := configs.Baseline()
	literal.Funds.ForcedSales = sim.ForcedLiteral
	literal.Policies = []string{"qe", "none", "spv"}
	noNone := configs.Baseline()
	noNone.Policies = []string{"spv", "qe"}
	market := march // qe buys from the dealers' inventory too
	market.QE.Source = sim.QEMarket
	defaults := configs.Baseline() // thin buffers: funds default on most stressed paths
	defaults.Funds.ULo, defaults.Funds.UHi = 0, 0.1
	defaults.Policies = sim.PolicyNames()
	floor := configs.Baseline() // the basis at its floor and the impact at u_min often
	floor.Market.BFloor, floor.Market.K, floor.Market.UMin = 0, 0.5, 0.9
	floor.Policies = sim.PolicyNames()
	announce := configs.Baseline() // announcement effects, a purchase lag, an early expiry
	announce.QE.AnnounceTheta, announce.QE.Lag = 0.7, 2
	announce.SPV.AnnounceTheta, announce.SPV.TExp = 0.5, 20
	announce.Policies = sim.PolicyNames()
	return map[string]sim.Config{
		"baseline":   configs.Baseline(),
		"escalation": shippedConfig(t, "escalation.yaml"),
		"all":        all,
		"march2020":  march,
		"repo":       repo,
		"literal":    literal,
		"no-none":    noNone,
		"qe-market":  market,
		"defaults":   defaults,
		"floor":      floor,
		"announce":   announce,
	}
}

// laneCoverage says, for some scenarios of laneConfigs, what at least one path must show
// for the scenario to test what it is there for.
var laneCoverage = map[string]struct {
	what string
	seen func(policy string, v *[sim.NumMetrics]float64) bool
}{
	"defaults": {"a fund default without a policy", func(p string, v *[sim.NumMetrics]float64) bool {
		return p == "none" && v[sim.FundsDefaulted] > 0
	}},
	"qe-market": {"qe purchases", func(p string, v *[sim.NumMetrics]float64) bool {
		return p == "qe" && v[sim.PeakCBHoldingsBN] > 0
	}},
	"announce": {"the spv closing with holdings on its expiry day", func(p string, v *[sim.NumMetrics]float64) bool {
		return p == "spv" && v[sim.SPVClosedDay] == 20
	}},
	"march2020": {"other sellers' sales", func(p string, v *[sim.NumMetrics]float64) bool {
		return v[sim.OtherSalesBN] > 0
	}},
}

// TestLanesEqualScalar checks that the lockstep simulator gives, for every path, the
// metrics and day series of Simulator.RunAll bit for bit (math.Float64bits), on 5,003
// paths of each scenario (the last group of lanes is partly empty), with no lane falling
// back to the scalar simulator, and that the shortcut (policies joining from a snapshot,
// or never waking) was exercised.
func TestLanesEqualScalar(t *testing.T) {
	const n = 5003
	for name, cfg := range laneConfigs(t) {
		model, err := sim.NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, vector := range laneKernels(t) {
			t.Run(fmt.Sprintf("%s/vector=%v", name, vector), func(t *testing.T) {
				newPolicies := func() []sim.Policy { return newPolicies(t, &cfg, cfg.Policies...) }
				runner := sim.NewLaneRunner(model, vector, newPolicies)
				dormant, covered := 0, false
				cover, mustCover := laneCoverage[name]
				checkLanes(t, model, cfg.Seed, n, runner, newPolicies(), func(k int, _ int64, res []sim.Result) {
					if cfg.Policies[k] != "none" && res[k].Values[sim.PeakCBHoldingsBN] == 0 {
						dormant++
					}
					if mustCover && cover.seen(cfg.Policies[k], &res[k].Values) {
						covered = true
					}
				})
				if mustCover && !covered {
					t.Fatalf("no path shows %s: the scenario does not test what it is for", cover.what)
				}
				if runner.Fallbacks != 0 {
					t.Fatalf("%d lanes fell back to the scalar simulator", runner.Fallbacks)
				}
				if slices.Contains(cfg.Policies, "none") && dormant == 0 {
					t.Fatal("no policy stayed dormant on any path: the shortcut was not exercised")
				}
			})
		}
	}
}

// checkLanes runs n paths through runner, lanes at a time, and compares each with
// Simulator.RunAll of pols on the same shocks; seen is called for every path and policy.
func checkLanes(t *testing.T, model *sim.Model, seed uint64, n int, runner *sim.LaneRunner, pols []sim.Policy, seen func(k int, path int64, res []sim.Result)) {
	t.Helper()
	T := model.Days()
	stream, sh := sim.NewStream(), sim.NewShocks(T)
	scalar := model.NewSimulator()
	res := make([]sim.Result, len(pols))
	days := make([][]float64, len(pols))
	for k := range days {
		days[k] = make([]float64, sim.NumSeries*T)
	}
	for first := 0; first < n; first += sim.BatchPaths {
		nl := min(sim.BatchPaths, n-first)
		paths := runner.Run(nl, func(l int, sh *sim.Shocks) {
			stream.Reset(seed, int64(first+l))
			model.Draw(stream, sh)
		})
		for l, p := range paths {
			path := int64(first + l)
			stream.Reset(seed, path)
			model.Draw(stream, sh)
			scalar.RunAll(sh, pols, res, days)
			for k := range pols {
				if d := firstDiff(p.Results[k].Values[:], res[k].Values[:]); d >= 0 {
					t.Fatalf("path %d policy %d metric %s: lanes %v, scalar %v", path, k, sim.Metrics[d].Name, p.Results[k].Values[d], res[k].Values[d])
				}
				if d := firstDiff(p.Days[k], days[k]); d >= 0 {
					t.Fatalf("path %d policy %d series value %d (day %d): lanes %v, scalar %v", path, k, d, d%T, p.Days[k][d], days[k][d])
				}
				if seen != nil {
					seen(k, path, res)
				}
			}
		}
	}
}

// firstDiff returns the first index where a and b differ in their bits, or -1.
func firstDiff(a, b []float64) int {
	if len(a) != len(b) {
		return 0
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

// unstable is a policy that makes a day unusable for the vector kernels on some paths:
// theta NaN, no capital per $, a NaN discount (every fund's equity NaN, which the masks
// would leave out of the day's total), a NaN dealer capacity (the market NaN) or NaN
// holdings (the running outputs NaN): lanes hit by it must be run by the scalar simulator.
type unstable struct {
	day int
	nan bool // the Sheet's holdings are NaN after this day's Settle
}

func (u *unstable) Start() { u.nan = false }
func (u *unstable) Adjust(d sim.Day, c *sim.Conditions) {
	switch {
	case d.T == u.day && d.Basis > 15:
		c.Theta = math.NaN()
	case d.T == u.day+1 && d.Basis > 12:
		c.Haircut, c.Margin = 0, 0
	case d.T == u.day+3 && d.Basis > 9:
		c.Capacity = math.NaN() // the impact, the basis and the dealers' inventory NaN
	}
}
func (u *unstable) Absorb(d sim.Day) sim.Absorption {
	if d.T == u.day+2 && d.Basis > 10 {
		return sim.Absorption{Discount: math.NaN()}
	}
	return sim.Absorption{}
}
func (u *unstable) Settle(d sim.Day, _ sim.Absorption) { u.nan = d.T == u.day+4 && d.Basis > 8 }
func (u *unstable) Sheet() sim.Sheet {
	if u.nan {
		return sim.Sheet{Holdings: math.NaN(), ClosedDay: -1} // only in the running outputs
	}
	return sim.Sheet{ClosedDay: -1}
}

// TestLanesFallBack checks that a lane whose inputs the vector kernels cannot reproduce
// is run by the scalar simulator, with its results, NaN included, bit for bit.
func TestLanesFallBack(t *testing.T) {
	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, vector := range laneKernels(t) {
		newPolicies := func() []sim.Policy {
			return append(newPolicies(t, &cfg, "none", "qe"), &unstable{day: 3})
		}
		runner := sim.NewLaneRunner(model, vector, newPolicies)
		checkLanes(t, model, cfg.Seed, 203, runner, newPolicies(), nil)
		if runner.Fallbacks == 0 || runner.Fallbacks == 203 {
			t.Fatalf("vector=%v: %d of 203 lanes fell back: the fallback was not exercised selectively", vector, runner.Fallbacks)
		}
	}
}

// TestSamplerLanes checks that a whole Sampler run with the lockstep simulator hands
// every path to visit with the same metrics and series, bit for bit, as one with the
// scalar simulator, with 2 workers and a path count that ends mid-group of lanes.
func TestSamplerLanes(t *testing.T) {
	cfg := shippedConfig(t, "escalation.yaml")
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const first, n = 1000, 3001
	T := cfg.Days
	collect := func(mode int) ([]sim.Result, [][]float64) {
		s := &sim.Sampler{Model: model, Policies: cfg.Policies, Seed: cfg.Seed, Workers: 2}
		sim.SetSamplerLanes(s, mode)
		res := make([]sim.Result, n*len(cfg.Policies))
		days := make([][]float64, n*len(cfg.Policies))
		err := s.Run(context.Background(), first, n, func(_, block int, r []sim.Result, d [][]float64) {
			for k := range r {
				i := int(r[k].Path-first)*len(cfg.Policies) + k
				if i/len(cfg.Policies)/sim.BlockSize != block {
					t.Errorf("path %d handed over in block %d", r[k].Path, block)
				}
				res[i] = r[k]
				days[i] = append([]float64(nil), d[k]...)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return res, days
	}
	wantRes, wantDays := collect(sim.LanesOff)
	modes := []int{sim.LanesScalar}
	if sim.VectorLanes() {
		modes = append(modes, sim.LanesAuto)
	}
	for _, mode := range modes {
		res, days := collect(mode)
		for i := range res {
			if res[i].Path != wantRes[i].Path || res[i].Policy != wantRes[i].Policy {
				t.Fatalf("mode %d: result %d is path %d policy %d, want path %d policy %d", mode, i, res[i].Path, res[i].Policy, wantRes[i].Path, wantRes[i].Policy)
			}
			if d := firstDiff(res[i].Values[:], wantRes[i].Values[:]); d >= 0 {
				t.Fatalf("mode %d path %d policy %d: metric %s differs", mode, res[i].Path, res[i].Policy, sim.Metrics[d].Name)
			}
			if len(days[i]) != sim.NumSeries*T || firstDiff(days[i], wantDays[i]) >= 0 {
				t.Fatalf("mode %d path %d policy %d: series differ", mode, res[i].Path, res[i].Policy)
			}
		}
	}
}

// BenchmarkFundLoops compares the fund loops alone, decisions and settlement, for 8 paths
// on a stressed day: path by path (funds.decide and funds.settle) and, where the build and
// the CPU have them, the vector kernels on 8 lanes (with the day's market and records,
// which they now include); ns/fund-day is per fund and path.
func BenchmarkFundLoops(b *testing.B) {
	cfg := configs.Baseline()
	model, _ := sim.NewModel(cfg)
	kernels := []bool{false}
	if sim.VectorLanes() {
		kernels = append(kernels, true)
	}
	for _, vector := range kernels {
		name := "scalar"
		if vector {
			name = "vector"
		}
		b.Run(name, func(b *testing.B) {
			day := sim.FundLoops(model, vector)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				day()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sim.Lanes*cfg.Funds.NFunds), "ns/fund-day")
		})
	}
}

// TestLanesDoNotAllocate checks that stepping a group of lanes through every policy
// allocates nothing once the group exists, with every option of the model on.
func TestLanesDoNotAllocate(t *testing.T) {
	cfg := shippedConfig(t, "march2020.yaml")
	cfg.Policies = sim.PolicyNames()
	cfg.Repo = sim.RepoParams{Capacity: 605, Kappa: 0.3}
	model, err := sim.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, vector := range laneKernels(t) {
		runner := sim.NewLaneRunner(model, vector, func() []sim.Policy { return newPolicies(t, &cfg, cfg.Policies...) })
		stream := sim.NewStream()
		path := int64(0)
		group := func() {
			runner.Run(sim.BatchPaths, func(_ int, sh *sim.Shocks) {
				stream.Reset(cfg.Seed, path)
				model.Draw(stream, sh)
				path++
			})
		}
		group()
		if allocs := testing.AllocsPerRun(20, group); allocs != 0 {
			t.Fatalf("vector=%v: %v allocations per group of lanes", vector, allocs)
		}
	}
}

// TestLoadLanes checks the vector kernels' loader of the lanes' days (8 lanes by 8 days
// at a time) against the scalar one (lane by lane), bit for bit, on every field of every
// lane's days from its wake day: horizons that are and are not a multiple of 8, every lane
// or some, all from day 0 or from later days each, with the repo ration and the other
// sellers off and on.
func TestLoadLanes(t *testing.T) {
	if !sim.VectorBuild {
		// Only the scalar loader is built, which TestLanesEqualScalar checks.
		t.Skip("built without GOEXPERIMENT=simd: no vector loader to test")
	}
	if !sim.VectorLanes() {
		if os.Getenv("CI") != "" {
			t.Fatal("built with GOEXPERIMENT=simd, but this CPU has no AVX-512: the vector loader cannot be tested")
		}
		t.Skip("no AVX-512 on this CPU: the vector loader is not tested")
	}
	march := shippedConfig(t, "march2020.yaml") // other sellers
	repo := march
	repo.Repo = sim.RepoParams{Capacity: 605, Kappa: 0.3}
	cases := []struct {
		name string
		cfg  sim.Config
		days int
		wake []int
	}{
		{"baseline all lanes", configs.Baseline(), 60, []int{0, 0, 0, 0, 0, 0, 0, 0}},
		{"baseline 3 lanes", configs.Baseline(), 60, []int{0, 0, 0}},
		{"baseline later days", configs.Baseline(), 60, []int{9, 9, 17, 17, 30, 31, 56, 59}},
		{"16 days", configs.Baseline(), 16, []int{8, 8, 9, 15, 15}},
		{"13 days", configs.Baseline(), 13, []int{2, 5, 7, 8, 12, 12, 12, 12}},
		{"5 days", configs.Baseline(), 5, []int{0, 1, 4}},
		{"one day", configs.Baseline(), 1, []int{0, 0}},
		{"sellers", march, 37, []int{0, 3, 3, 8, 21, 33, 36}},
		{"repo and sellers", repo, 60, []int{0, 0, 1, 1, 40, 41, 59, 59}},
		{"repo and sellers 1 lane", repo, 19, []int{11}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.Days = c.days
			m, err := sim.NewModel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			shocks := make([]*sim.Shocks, len(c.wake))
			rng := sim.NewStream()
			for l := range shocks {
				shocks[l] = sim.NewShocks(c.days)
				rng.Reset(7, int64(l))
				m.Draw(rng, shocks[l])
			}
			want := sim.LoadedDays(m, shocks, c.wake, false)
			for l := range want {
				if len(want[l]) != c.days-c.wake[l] {
					t.Fatalf("lane %d: %d days, want %d", l, len(want[l]), c.days-c.wake[l])
				}
			}
			checkLoaded(t, "per-path shocks", sim.LoadedDays(m, shocks, c.wake, true), want, c.wake)
			if !sim.UseSource(m) {
				return
			}
			// The batch's draws as they are: the lanes in batch order from path 8 (one
			// load a day), and scattered over the batch (a gather).
			inOrder, scattered := make([]int, len(c.wake)), make([]int, len(c.wake))
			for l := range inOrder {
				inOrder[l], scattered[l] = sim.Lanes+l, (sim.BatchPaths-1-9*l+sim.BatchPaths)%sim.BatchPaths
			}
			checkLoaded(t, "draws in order", sim.LoadedDaysFromDraws(m, shocks, c.wake, inOrder), want, c.wake)
			checkLoaded(t, "draws scattered", sim.LoadedDaysFromDraws(m, shocks, c.wake, scattered), want, c.wake)
		})
	}
}

// checkLoaded compares what a vector loader (got) and the scalar one (want) put in each
// lane's days from its wake day on (LoadedDays), bit for bit.
func checkLoaded(t *testing.T, how string, got, want [][][10]float64, wake []int) {
	t.Helper()
	for l := range want {
		if len(got[l]) != len(want[l]) {
			t.Fatalf("%s: lane %d: %d days, want %d", how, l, len(got[l]), len(want[l]))
		}
		for i := range want[l] {
			for f, x := range want[l][i] {
				if y := got[l][i][f]; math.Float64bits(x) != math.Float64bits(y) {
					t.Fatalf("%s: lane %d day %d field %d: %v, want %v", how, l, wake[l]+i, f, y, x)
				}
			}
		}
	}
}

// TestKernelStateAligned checks that every part of a lane group's state that the vector
// kernels load and store 64 bytes at a time starts on a cache line, with the vectors'
// offsets in it multiples of 64: a vector that straddles two lines costs twice the work,
// and its store is not forwarded to the next kernel's load.
func TestKernelStateAligned(t *testing.T) {
	m, err := sim.NewModel(configs.Baseline())
	if err != nil {
		t.Fatal(err)
	}
	for name, at := range sim.KernelStateOffsets(m) {
		if at != 0 {
			t.Errorf("%s: at %d bytes past a cache line", name, at)
		}
	}
}
