package sim_test

import (
	"context"
	"fmt"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// Example simulates 1,000 paths of the baseline under no policy and under the backstop
// SPV on the same shocks, and compares the mean peak basis. The sampler hands each path to
// the visit function on a worker goroutine, so the sums are kept per worker.
func Example() {
	cfg := configs.Baseline()
	model, err := sim.NewModel(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &sim.Sampler{Model: model, Policies: []string{"none", "spv"}, Workers: 2, Seed: 1}
	sums := make([][2]float64, s.WorkerCount())
	err = s.Run(context.Background(), 0, 1000, func(w, _ int, res []sim.Result, _ [][]float64) {
		for k := range res {
			sums[w][k] += res[k].Values[sim.PeakBasisBP]
		}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var none, spv float64
	for _, s := range sums {
		none, spv = none+s[0], spv+s[1]
	}
	fmt.Printf("mean peak basis: none %.0f bp, spv %.0f bp\n", none/1000, spv/1000)
	// Output:
	// mean peak basis: none 80 bp, spv 15 bp
}

// ExampleSimulator_Run runs one path by hand: the shocks of path 7 drawn from its own
// stream, then one policy over them, with the day-by-day series.
func ExampleSimulator_Run() {
	model, err := sim.NewModel(configs.Baseline())
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := model.Config()
	stream, shocks := sim.NewStream(), sim.NewShocks(cfg.Days)
	stream.Reset(cfg.Seed, 7)
	model.Draw(stream, shocks)

	qe, err := sim.NewPolicy("qe", cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	var res sim.Result
	days := make([]float64, sim.NumSeries*cfg.Days)
	model.NewSimulator().Run(shocks, qe, &res, days, nil)
	basis := days[int(sim.SeriesBasis)*cfg.Days : (int(sim.SeriesBasis)+1)*cfg.Days]
	fmt.Printf("%s: %.1f %s, basis on day 0 %.1f bp\n", sim.Metrics[sim.PeakBasisBP].Name, res.Values[sim.PeakBasisBP],
		sim.Metrics[sim.PeakBasisBP].Unit, basis[0])
	// Output:
	// peak_basis_bp: 19.6 bp, basis on day 0 -0.7 bp
}

// ExamplePolicies lists the registered policies as the figures show them.
func ExamplePolicies() {
	for _, p := range sim.Policies() {
		fmt.Printf("%-4s %s  %s\n", p.Name, p.Color, p.Label)
	}
	// Output:
	// none #D55E00  none (no backstop)
	// qe   #0072B2  qe (outright purchases)
	// spv  #009E73  spv (backstop SPV)
	// srf  #E69F00  srf (standing repo facility)
	// slr  #CC79A7  slr (dealer capital relief)
	// cap  #000000  cap (basis-cap facility)
}
