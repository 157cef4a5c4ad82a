package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/sweep"
	"gonum.org/v1/plot/vg"
)

// cmdSweep runs a parameter sweep (backstop sweep --config FILE), or redraws the figures
// of one (backstop sweep --plot DIR).
func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop sweep", flag.ContinueOnError)
	configPath := fs.String("config", "", "sweep `FILE` (YAML): base scenario, overrides, paths, seed, and one or two parameters with their grids")
	out := fs.String("out", "", "output directory (default: outputs/<sweep name>)")
	workers := fs.Int("workers", 0, "parallel workers within each grid point (default: all cores)")
	paths := fs.Int("paths", 0, "Monte Carlo paths per grid point (default: the sweep file's)")
	seed := fs.Uint64("seed", 0, "master seed of every grid point (default: the sweep file's)")
	formats := fs.String("format", "png,pdf", "comma-separated figure formats: png, pdf, svg")
	width := fs.Float64("width", 0, "figure width in inches (default: the figure's natural width)")
	height := fs.Float64("height", 0, "figure height in inches")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	replot := fs.String("plot", "", "redraw the figures of the sweep in `DIR` from its sweep.parquet, and run nothing")
	resume := fs.String("resume", "", "finish the interrupted sweep in `DIR` (the sweep recorded in its manifest)")
	force := fs.Bool("force", false, "replace the sweep already in the output directory, finished or not")
	allowVersion := fs.Bool("allow-version-change", false, "with --resume: finish a sweep begun by another version of backstop (its manifest then lists both in versions)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: backstop sweep --config FILE [flags]\n       backstop sweep --resume DIR\n       backstop sweep --plot DIR [--format png,pdf] [--width IN] [--height IN]\n\nSweep files are described in docs/sweeps.md; examples in configs/sweep_*.yaml.\nWithout --out the sweep goes to outputs/<sweep name>.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("sweep takes no arguments, got %q", fs.Args())}
	}
	if !(*width >= 0 && *height >= 0) { // NaN too
		return usageError{fmt.Errorf("--width and --height must be positive inches, got %v and %v", *width, *height)}
	}
	figOpt := plots.Options{Formats: strings.Split(*formats, ","), Width: vg.Length(*width) * vg.Inch, Height: vg.Length(*height) * vg.Inch}
	if err := figOpt.Validate(); err != nil {
		return usageError{err}
	}
	if *replot != "" {
		if *configPath != "" {
			return usageError{errors.New("--plot redraws an existing sweep; it takes no --config")}
		}
		files, err := sweep.Redraw(*replot, figOpt)
		for _, f := range files {
			fmt.Fprintln(stdout, f)
		}
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *resume != "" && (*configPath != "" || set["paths"] || set["seed"] || (*out != "" && filepath.Clean(*out) != filepath.Clean(*resume))) {
		return usageError{errors.New("--resume finishes the sweep recorded in DIR's manifest; it takes no --config, --paths, --seed or other --out")}
	}
	var recordedOutputs []string // a resume's manifest's, for its figures' formats
	plan, err := planSource[*sweep.Plan]{
		command: "sweep", example: "configs/sweep_spv_design.yaml",
		recorded: func(dir string) (string, error) {
			m, err := results.ReadSweepManifest(dir)
			if err != nil {
				return "", err
			}
			recordedOutputs = m.Outputs
			return m.Config, nil
		},
		decode: sweep.Decode, load: sweep.Load,
	}.plan(*resume, *configPath)
	if err != nil {
		return err
	}
	if *resume != "" {
		figOpt.Formats = resumeFormats(fs, figOpt.Formats, recordedOutputs)
		*out = *resume
	}
	if set["paths"] {
		if *paths < 1 {
			return usageError{fmt.Errorf("--paths %d is not allowed; use 1 or more", *paths)}
		}
		plan.Paths = *paths
	}
	if set["seed"] {
		plan.Seed = *seed
	}
	capNote := ""
	if *resume == "" {
		if plan.Paths, capNote, err = capPaths(plan.Paths); err != nil {
			return usageError{err}
		}
	}
	if *workers < 0 {
		return usageError{fmt.Errorf("--workers %d is not allowed; use 0 (all cores) or more", *workers)}
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("outputs", plan.Name)
	}
	logw := stderr
	if *quiet {
		logw = io.Discard
	}
	if *resume == "" && !*force {
		if err := checkSweepDir(dir, args); err != nil {
			return err
		}
	}
	setResumeHint(ctx, sweep.ResumeCommand(dir))
	setLastWords(ctx, func() { sweep.MarkStopped(dir, resumeHint(ctx)) })
	nw := *workers
	if nw <= 0 {
		nw = runtime.NumCPU()
	}
	fmt.Fprintf(logw, "sweep: start %s, grid points 0-%d, %d paths x %d policies each, seed %d, workers %d, output %s, version %s\n",
		plan.Name, plan.Size()-1, plan.Paths, len(plan.Policies()), plan.Seed, nw, dir, results.ToolVersion())
	if capNote != "" {
		fmt.Fprintln(logw, capNote)
	}
	o, err := sweep.Run(ctx, plan, sweep.Options{
		OutDir: dir, Workers: *workers, Figures: true, FigureOptions: figOpt, Log: logw, Resume: *resume != "", Force: *force, AllowVersionChange: *allowVersion,
		Command: "backstop " + strings.Join(append([]string{"sweep"}, args...), " "),
	})
	if err != nil {
		return err
	}
	if err := sweep.PrintTable(stdout, o.Rows, sim.Metrics[sim.PeakBasisBP].Name); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d rows), %d point runs in %s/, %d figures in %s/ -> %s\n",
		results.SweepFile, len(o.Rows), len(o.Manifest.Points), results.PointsDir, len(o.Figures), results.FiguresDir, dir)
	return nil
}

// checkSweepDir refuses a fresh sweep into dir when a sweep is there, showing the commands
// that go on: resume it (when unfinished), replace it with --force, or a free --out.
func checkSweepDir(dir string, args []string) error {
	m, err := results.ReadSweepManifest(dir)
	if err != nil || m.Kind != results.SweepKind {
		return nil // sweep.Run's own checks apply
	}
	again := append([]string{"sweep"}, args...)
	elsewhere := append(append([]string{"sweep"}, withoutFlag(args, "out", true)...), "--out", freeSibling(dir))
	if m.Status == results.StatusComplete {
		return fmt.Errorf("%s already holds a finished sweep (%s, %d points, finished %s), kept unless --force.\n"+
			"  replace it:            %s --force\n  or write elsewhere:    %s", dir, m.Name, len(m.Points), m.Finished, commandLine(again), commandLine(elsewhere))
	}
	return fmt.Errorf("%s holds an unfinished sweep (%s, status %s).\n  finish it:             %s\n"+
		"  replace it:            %s --force\n  or write elsewhere:    %s", dir, m.Name, m.Status, sweep.ResumeCommand(dir), commandLine(again), commandLine(elsewhere))
}
