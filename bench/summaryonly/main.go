// Command summaryonly runs a summary-only evaluation of the baseline scenario, what
// explore and calibrate run for each point they evaluate: every policy on the same paths,
// each summary metric's mean with its 95% interval, median and 95th percentile, and the
// paired effects, in memory, with no files, bands or figures (evaluate.Run). It is the Go
// side of the summary-only row of bench/compare.sh, beside the Numba peer's kernel.
//
//	go run ./bench/summaryonly --paths 200000 --seed 1 [--workers N] [--config FILE]
//
// It prints the wall and CPU time of the evaluation alone (config decoding and process
// start-up excluded) and the mean peak basis under each policy, as JSON.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/evaluate"
	"github.com/backstop-research/backstop/internal/cputime"
	"github.com/backstop-research/backstop/sim"
)

// report is the JSON summaryonly prints.
type report struct {
	Paths          int                `json:"paths"`
	Seed           uint64             `json:"seed"`
	Seconds        float64            `json:"seconds"`
	CPUSeconds     float64            `json:"cpu_seconds"`
	MeanPeakBasis  map[string]float64 `json:"mean_peak_basis_bp"`
	PathsPerSecond float64            `json:"paths_per_second"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "summaryonly:", err)
		var usage usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks a bad command line (exit status 2).
type usageError struct{ error }

func run(args []string) error {
	fs := flag.NewFlagSet("summaryonly", flag.ContinueOnError)
	paths := fs.Int("paths", 200_000, "number of paths (at least 2)")
	seed := fs.Uint64("seed", 1, "random seed")
	workers := fs.Int("workers", 0, "worker goroutines (0: all cores)")
	config := fs.String("config", "", "scenario YAML (default: the embedded baseline)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if *paths < 2 {
		return usageError{fmt.Errorf("--paths must be at least 2, got %d", *paths)}
	}
	if *workers < 0 {
		return usageError{fmt.Errorf("--workers must be 0 (all cores) or more, got %d", *workers)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q: every setting is a flag", fs.Args())}
	}
	cfg := configs.Baseline()
	if *config != "" {
		c, err := configs.Load(*config)
		if err != nil {
			return usageError{err}
		}
		cfg = c
	}
	cfg.Paths, cfg.Seed = *paths, *seed
	cpu0, t0 := cputime.Process(), time.Now()
	res, err := evaluate.Run(context.Background(), cfg, *workers)
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	elapsed, cpu := time.Since(t0), cputime.Process()-cpu0
	r := report{Paths: *paths, Seed: *seed, Seconds: elapsed.Seconds(), CPUSeconds: cpu.Seconds(),
		PathsPerSecond: float64(*paths) / elapsed.Seconds(), MeanPeakBasis: map[string]float64{}}
	for m, metric := range res.Metrics {
		if metric != sim.PeakBasisBP {
			continue
		}
		for k, pol := range res.Policies {
			r.MeanPeakBasis[pol] = res.Stats[k][m].Mean
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	return enc.Encode(r)
}
