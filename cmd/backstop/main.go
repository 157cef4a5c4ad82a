// Command backstop simulates Treasury-market fire sales with and without a central-bank
// backstop and writes Parquet results, a summary and figures.
//
//	backstop run [--config FILE] [--paths N] [--seed S] [--workers W] [--policies none,qe,spv] [--out DIR]
//	backstop plot [--format png,pdf] [--width IN] [--height IN] DIR
//	backstop inspect DIR
//	backstop version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
	"gonum.org/v1/plot/vg"
)

// usageError is a bad command line or config: exit status 2, nothing written.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

const usage = `backstop simulates basis-trade fire sales with and without a central-bank backstop.

Usage:
  backstop run  [flags]      simulate a scenario; writes Parquet, bands, summary, figures
  backstop plot [flags] DIR  redraw a run's figures from its Parquet files
  backstop inspect DIR       print a run's manifest, schema, row counts and summary
  backstop version           print the tool version

Run 'backstop run -h' or 'backstop plot -h' for the flags.
`

func main() {
	os.Exit(mainErr(os.Args[1:], os.Stdout, os.Stderr))
}

func mainErr(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:], stdout, stderr)
	case "plot":
		err = cmdPlot(args[1:], stdout, stderr)
	case "inspect":
		if len(args) != 2 {
			err = usageError{errors.New("inspect takes one run directory, e.g. backstop inspect outputs/baseline")}
		} else {
			err = results.Inspect(args[1], stdout)
		}
	case "version":
		fmt.Fprintln(stdout, "backstop", results.ToolVersion())
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Errorf("unknown command %q; use run, plot, inspect or version", args[0])}
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "backstop:", err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "scenario YAML file (default: the embedded baseline)")
	paths := fs.Int("paths", 0, "Monte Carlo paths (default: the config's, 10000 in the baseline)")
	seed := fs.Uint64("seed", 0, "master seed (default: the config's, 1 in the baseline)")
	workers := fs.Int("workers", 0, "parallel workers (default: all cores)")
	policies := fs.String("policies", "", "comma-separated policies to run, from "+strings.Join(sim.PolicyNames(), ","))
	out := fs.String("out", "", "output directory (default: outputs/<scenario>)")
	chunk := fs.Int("chunk-size", run.DefaultChunkSize, "paths per Parquet part")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("run takes no arguments, got %q", fs.Args())}
	}
	var cfg sim.Config
	var err error
	if *configPath == "" {
		cfg = configs.Baseline()
	} else if cfg, err = configs.Load(*configPath); err != nil {
		return usageError{err}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["paths"] {
		cfg.Paths = *paths
	}
	if set["seed"] {
		cfg.Seed = *seed
	}
	if set["policies"] {
		cfg.Policies = strings.Split(*policies, ",")
	}
	if err := cfg.Validate(); err != nil {
		return usageError{fmt.Errorf("invalid settings: %w", err)}
	}
	if *workers < 0 {
		return usageError{fmt.Errorf("--workers %d is not allowed; use 0 (all cores) or more", *workers)}
	}
	if *chunk < 1 {
		return usageError{fmt.Errorf("--chunk-size %d is not allowed; use 1 or more", *chunk)}
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("outputs", cfg.Scenario)
	}
	logw := stderr
	if *quiet {
		logw = io.Discard
	}
	o, err := run.Execute(ctx, run.Options{
		Config: cfg, OutDir: dir, Workers: *workers, ChunkSize: *chunk, Figures: true,
		Command: "backstop " + strings.Join(append([]string{"run"}, args...), " "), Log: logw,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d paths x %d policies, seed %d -> %s\n", cfg.Scenario, cfg.Paths, len(cfg.Policies), cfg.Seed, dir)
	if err := results.PrintSummary(stdout, o.Summary); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s, %s, %s, %d figures in %s\n", results.PathsDir+"/", results.BandsFile, results.SummaryFile, len(o.Figures), results.FiguresDir+"/")
	return nil
}

func cmdPlot(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	formats := fs.String("format", "png,pdf", "comma-separated formats: png, pdf, svg")
	width := fs.Float64("width", 0, "figure width in inches (default: one column of a two-column paper)")
	height := fs.Float64("height", 0, "figure height in inches")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("plot takes one run directory, e.g. backstop plot outputs/baseline")}
	}
	if *width < 0 || *height < 0 {
		return usageError{fmt.Errorf("--width and --height must be positive inches, got %v and %v", *width, *height)}
	}
	opt := run.FigureOptions{Formats: strings.Split(*formats, ","), Width: vg.Length(*width) * vg.Inch, Height: vg.Length(*height) * vg.Inch}
	files, err := run.DrawFigures(fs.Arg(0), opt)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}
