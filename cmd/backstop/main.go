// Command backstop simulates Treasury-market fire sales with and without a central-bank
// backstop and writes Parquet results, a summary and figures.
//
//	backstop run [--config FILE] [--paths N] [--seed S] [--workers W] [--policies none,qe,spv] [--out DIR] [--no-figures]
//	backstop run --resume DIR
//	backstop run --shard I/N --out DIR ...; backstop merge DIR
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
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/sweep"
	"gonum.org/v1/plot/vg"
)

// usageError is a bad command line or config: exit status 2, nothing written.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

const usage = `backstop simulates basis-trade fire sales with and without a central-bank backstop.

Usage:
  backstop run [flags]          simulate a scenario: Parquet, bands, summary, figures
  backstop run --resume DIR     finish an interrupted run
  backstop merge [flags] DIR    finish a run computed in shards (run --shard I/N)
  backstop sweep --config FILE  run a scenario over a grid of one or two parameters
  backstop explore --config FILE  global sensitivity, uncertainty ensembles, PRIM (docs/explore.md)
  backstop calibrate --config FILE  fit parameters to targets by simulated moments
  backstop plot [flags] DIR     redraw a run's (or a sweep's) figures from its Parquet files
  backstop inspect DIR          print a run's manifest, schema, row counts and summary
  backstop verify DIR           check every file of a run, a sweep, an exploration or a calibration against its manifest
  backstop version              print the tool version
  backstop help                 print this list

Run 'backstop <command> --help' for a command's flags; flags go before or after DIR.
Without --out, run writes outputs/<scenario> and sweep outputs/<sweep name>; a finished
run there is kept unless --force.
`

func main() {
	if os.Getenv("GOGC") == "" {
		// A run's heap is mostly pointer-free arrays (rows, bin counts) that the collector
		// marks for next to nothing, so collecting at 50% growth instead of Go's default
		// 100% costs little time and keeps peak memory near 250 MB at any path count.
		debug.SetGCPercent(50)
	}
	ignoreBrokenPipe(os.Args[1:])
	var stderr io.Writer = os.Stderr
	if !isTerminal(os.Stderr) {
		stderr = newStampWriter(os.Stderr) // a scheduler log: every line says when
	}
	os.Exit(mainErr(os.Args[1:], os.Stdout, stderr))
}

func mainErr(args []string, stdout, stderr io.Writer) (code int) {
	defer func() { // last resort: no panic reaches the user as a Go trace and exit 2
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "backstop: internal error (please report it): %v\n%s", r, debug.Stack())
			code = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	stdout, stderr = lossyOutput(args, stdout, stderr)
	ctx, stop := interruptible(stderr, interruptNote(args[0]))
	defer stop()
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:], stdout, stderr)
	case "sweep":
		err = cmdSweep(ctx, args[1:], stdout, stderr)
	case "calibrate":
		err = cmdCalibrate(ctx, args[1:], stdout, stderr)
	case "plot":
		err = cmdPlot(args[1:], stdout, stderr)
	case "explore":
		err = cmdExplore(ctx, args[1:], stdout, stderr)
	case "merge":
		err = cmdMerge(ctx, args[1:], stdout, stderr)
	case "verify":
		err = cmdVerify(args[1:], stdout, stderr)
	case "inspect":
		err = cmdInspect(args[1:], stdout, stderr)
	case "version":
		err = cmdVersion(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Errorf("unknown command %q; the commands are %s (backstop help describes them)", args[0], strings.Join(commandNames(), ", "))}
	}
	if err == nil {
		noteLostStdout(stdout, stderr)
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "backstop:", err)
	var ue usageError
	var notARun *results.NotARunError // a sweep's or an exploration's directory given to a run command
	switch {
	case errors.As(err, &ue), errors.Is(err, run.ErrBadConfig), errors.Is(err, rundir.ErrBadOutDir), errors.As(err, &notARun):
		return 2
	case errors.Is(err, run.ErrInterrupted):
		return exitInterrupted
	case errors.Is(err, errNotFinished):
		return exitNotFinished
	}
	return 1
}

// checkRunDirArg refuses, as a usage error, a reader's directory argument that does not
// exist or is not a directory, and names the merge for a run still in shards.
func checkRunDirArg(cmd, dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return usageError{fmt.Errorf("%s %s: %w", cmd, dir, err)}
	}
	if !fi.IsDir() {
		return usageError{fmt.Errorf("%s %s: not a directory; give the run's directory", cmd, dir)}
	}
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); errors.Is(err, os.ErrNotExist) {
		if shards, _ := results.ShardManifests(dir); len(shards) > 0 {
			return fmt.Errorf("%s holds the shards of a run, not yet merged: once every shard is done, %s (backstop verify %s checks the shards meanwhile)", dir, run.MergeCommand(dir), shellquote.Path(dir))
		}
	}
	return nil
}

// resumeFlagsAgree refuses, on --resume, a --seed, --chunk-size or --paths other than the
// run's: resume finishes the run as it was begun (a new run needs its own --out).
func resumeFlagsAgree(man *results.Manifest, set map[string]bool, seed uint64, chunk, paths int) error {
	runPaths := man.Paths
	if man.MaxPaths > 0 {
		runPaths = man.MaxPaths
	}
	var diff []string
	if set["seed"] && seed != man.Seed {
		diff = append(diff, fmt.Sprintf("--seed %d (the run's is %d)", seed, man.Seed))
	}
	if set["chunk-size"] && chunk != man.ChunkSize {
		diff = append(diff, fmt.Sprintf("--chunk-size %d (the run's is %d)", chunk, man.ChunkSize))
	}
	if set["paths"] && int64(paths) != runPaths {
		diff = append(diff, fmt.Sprintf("--paths %d (the run's is %d)", paths, runPaths))
	}
	if len(diff) == 0 {
		return nil
	}
	return fmt.Errorf("resume finishes the run as it was begun, so it takes no %s; drop the flag, or start a new run with another --out", strings.Join(diff, ", "))
}

// exitInterrupted is the exit status of a run stopped by SIGINT, SIGTERM or SIGHUP (128 +
// SIGINT).
const exitInterrupted = 130

// interruptible returns a context cancelled by the first SIGINT, SIGTERM or SIGHUP (the
// terminal hung up: an ssh session dropped), which prints note, what the command does
// then (interruptNote): a run finishes the chunks in flight, writes them and an
// incomplete manifest, and exits with exitInterrupted. A second signal exits at once;
// every file on disk is still whole, since each is written under a temporary name and
// renamed. A SIGHUP the command was started ignoring (nohup) stays ignored: catching it
// would undo nohup.
func interruptible(stderr io.Writer, note string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(withLastWords(withResumeHint(context.Background())))
	sig := make(chan os.Signal, 2)
	stops := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		stops = append(stops, syscall.SIGHUP)
	}
	signal.Notify(sig, stops...)
	quit := make(chan struct{})
	go func() {
		select {
		case s := <-sig:
			sayWithin(stderr, fmt.Sprintf("\nbackstop: %v: %s (signal again to exit at once)\n", s, note))
			cancel()
		case <-quit:
			return
		}
		select {
		case <-sig:
			if hint := resumeHint(ctx); hint != "" {
				sayWithin(stderr, "backstop: second signal: exiting now; resume with: "+hint+"\n")
			} else {
				sayWithin(stderr, "backstop: second signal: exiting now\n")
			}
			sayLastWords(ctx)
			os.Exit(exitInterrupted)
		case <-quit:
		}
	}()
	return ctx, func() {
		signal.Stop(sig)
		close(quit)
		cancel()
	}
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop run", flag.ContinueOnError)
	configPath := fs.String("config", "", "scenario YAML file (default: the embedded baseline)")
	paths := fs.Int("paths", 0, "Monte Carlo paths (default: the config's, 10000 in the baseline)")
	seed := fs.Uint64("seed", 0, "master seed (default: the config's, 1 in the baseline)")
	workers := fs.Int("workers", 0, "parallel workers (default: all cores)")
	policies := fs.String("policies", "", "comma-separated policies to run, from "+strings.Join(sim.PolicyNames(), ","))
	out := fs.String("out", "", "output directory (default: outputs/<scenario>)")
	chunk := fs.Int("chunk-size", run.DefaultChunkSize, "paths per Parquet part and checkpoint")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	noFigures := fs.Bool("no-figures", false, "skip the figures (draw them later from the Parquet files with: backstop plot DIR)")
	resume := fs.String("resume", "", "finish the interrupted run in `DIR` (its config, seed and chunk size)")
	force := fs.Bool("force", false, "replace a run already in the output directory")
	allowVersion := fs.Bool("allow-version-change", false, "with --resume: finish a run begun by another version of backstop")
	shardFlag := fs.String("shard", "", "compute only shard `I/N` of the run (default: from SLURM_ARRAY_TASK_ID, or JOB_COMPLETION_INDEX with --shards)")
	target := fs.String("target-precision", "", "sample until the 95% CI half-width of a metric's mean is at most this under every policy, e.g. `peak_basis_bp=0.5` (--paths is then the most)")
	shards := fs.Int("shards", 0, "number of shards of a Kubernetes Indexed Job (with JOB_COMPLETION_INDEX)")
	bandPaths := fs.Int("band-paths", 0, "bands' quantiles from every k-th path, k = paths / `N` (at least N paths; 0, or with --target-precision: every path; default: the config's output.band_paths)")
	setUsage(fs, `backstop run [flags]
backstop run --resume DIR
backstop run --shard I/N --out DIR [flags]`, `Simulates a scenario (the embedded baseline, or --config FILE over it) and writes
Parquet, bands, summary and figures to --out, by default outputs/<scenario>, where
<scenario> is the file's scenario: key, else its file name without .yaml. A finished run
there is kept: the command refuses and shows the --force or --out to use.`)
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("run takes no arguments, got %q", fs.Args())}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	shard, shardSource, err := resolveShard(*shardFlag, *shards, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	var cfg sim.Config
	dir := *out
	chunkSize := *chunk
	switch {
	case *resume != "":
		if dir != "" && filepath.Clean(dir) != filepath.Clean(*resume) {
			return usageError{fmt.Errorf("--out %s and --resume %s name different directories", dir, *resume)}
		}
		dir = *resume
		man, err := results.ReadManifestFile(manifestPath(dir, shard))
		if err != nil {
			if shards, _ := results.ShardManifests(dir); errors.Is(err, os.ErrNotExist) && shard.Count <= 1 && len(shards) > 0 {
				return usageError{fmt.Errorf("--resume %s: it holds the shards of a run, not yet merged: resume a shard with backstop run --resume %s --shard I/N, or once every shard is done, %s", dir, shellquote.Path(dir), run.MergeCommand(dir))}
			}
			return usageError{fmt.Errorf("--resume %s: %w", dir, err)}
		}
		if err := resumeFlagsAgree(man, set, *seed, *chunk, *paths); err != nil {
			return usageError{fmt.Errorf("--resume %s: %w", dir, err)}
		}
		if cfg, err = configs.DecodeRecorded([]byte(man.Config), filepath.Join(dir, "manifest config")); err != nil {
			return usageError{err}
		}
		if set["band-paths"] && *bandPaths != cfg.Output.BandPaths {
			return usageError{fmt.Errorf("--resume %s: resume finishes the run as it was begun, so it takes no --band-paths %d (the run's is %d); drop the flag, or start a new run with another --out", dir, *bandPaths, cfg.Output.BandPaths)}
		}
		if !set["chunk-size"] {
			chunkSize = man.ChunkSize
		}
		if !set["target-precision"] {
			*target = man.TargetPrecision
		}
		if man.MaxPaths > 0 {
			cfg.Paths = int(man.MaxPaths)
		}
		if set["config"] {
			given, err := configs.Load(*configPath)
			if err != nil {
				return usageError{err}
			}
			given.Paths, given.Seed = cfg.Paths, cfg.Seed // the run's, unless flags say otherwise
			cfg = given
		}
	case *configPath == "":
		cfg = configs.Baseline()
	default:
		if cfg, err = configs.Load(*configPath); err != nil {
			return usageError{err}
		}
	}
	if set["paths"] {
		cfg.Paths = *paths
	}
	if set["seed"] {
		cfg.Seed = *seed
	}
	if set["band-paths"] {
		if *bandPaths < 0 {
			return usageError{fmt.Errorf("--band-paths %d is not allowed; use 0 (bands from every path) or a number of paths", *bandPaths)}
		}
		cfg.Output.BandPaths = *bandPaths
	}
	capNote := ""
	if *resume == "" {
		if cfg.Paths, capNote, err = capPaths(cfg.Paths); err != nil {
			return usageError{err}
		}
	}
	if set["policies"] {
		cfg.Policies = strings.Split(*policies, ",")
	}
	if err := cfg.Validate(); err != nil {
		return usageError{fmt.Errorf("invalid settings: %w", err)}
	}
	if *workers < 0 {
		return usageError{fmt.Errorf("--workers %d is not allowed; use 0 (all cores) to %d", *workers, run.MaxWorkers)}
	}
	if *chunk < 1 {
		return usageError{fmt.Errorf("--chunk-size %d is not allowed; use 1 or more", *chunk)}
	}
	if dir == "" {
		dir = filepath.Join("outputs", cfg.Scenario)
	}
	var tgt *run.Target
	if *target != "" {
		if tgt, err = run.ParseTarget(*target); err != nil {
			return usageError{fmt.Errorf("--target-precision: %w", err)}
		}
	}
	var progress run.Progress
	if !*quiet {
		progress = run.Progress{W: stderr, Bar: isTerminal(stderr), Width: terminalWidth(stderr)}
	}
	logw := stderr
	if *quiet {
		logw = io.Discard
	}
	if shard.Count > 1 && shardSource != "--shard" {
		// Said even with --quiet: a plain `backstop run` inside a job array computes one shard.
		fmt.Fprintf(stderr, "backstop: NOTE: computing only shard %d/%d of the run (from %s); finish it with %s once every task is done (unset the variable to run the whole scenario)\n", shard.Index, shard.Count, shardSource, run.MergeCommand(dir))
	}
	if err := checkOutIsDir(dir); err != nil {
		return err
	}
	var replaceNote string
	if *resume == "" && shard.Count <= 1 {
		if replaceNote, err = checkRunDir(dir, *force, args); err != nil {
			return err
		}
	}
	setResumeHint(ctx, run.ResumeCommand(dir, shard))
	setLastWords(ctx, func() { run.MarkStopped(manifestPath(dir, shard), resumeHint(ctx)) })
	fmt.Fprintln(logw, startLine(cfg, dir, chunkSize, *workers, *resume != "", tgt, shard, shardSource))
	for _, note := range []string{capNote, replaceNote} {
		if note != "" {
			fmt.Fprintln(logw, note)
		}
	}
	o, err := run.Execute(ctx, run.Options{
		Config: cfg, OutDir: dir, Workers: *workers, ChunkSize: chunkSize, Figures: !*noFigures,
		Command: "backstop " + strings.Join(append([]string{"run"}, args...), " "), Log: logw,
		Progress: progress, Resume: *resume != "", Force: *force, Shard: shard, Target: tgt, AllowVersionChange: *allowVersion,
		ReturnMemory: true,
	})
	if err != nil {
		return err
	}
	if shard.Count > 1 {
		fmt.Fprintf(stdout, "%s: shard %d/%d (chunks %d to %d) of %d paths -> %s; when every shard is done: %s\n",
			cfg.Scenario, shard.Index, shard.Count, o.Manifest.Shard.FirstChunk, o.Manifest.Shard.EndChunk-1, cfg.Paths, dir, run.MergeCommand(dir))
		return nil
	}
	fmt.Fprintf(stdout, "%s: %d paths x %d policies, seed %d -> %s\n", cfg.Scenario, o.Manifest.Paths, len(cfg.Policies), cfg.Seed, dir)
	if m := o.Manifest; m.TargetReached != nil {
		verdict := "met"
		if !*m.TargetReached {
			verdict = "NOT met"
		}
		fmt.Fprintf(stdout, "precision target %s %s after %d paths, of at most %d\n", m.TargetPrecision, verdict, m.Paths, m.MaxPaths)
	}
	if err := printTables(stdout, o); err != nil {
		return err
	}
	figures := fmt.Sprintf("%d figures in %s", len(o.Figures), results.FiguresDir+"/")
	if *noFigures {
		figures = "no figures (draw them with: backstop plot " + dir + ")"
	}
	fmt.Fprintf(stdout, "wrote %s, %s\n", strings.Join(results.ResultNames(), ", "), figures)
	return nil
}

func cmdPlot(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop plot", flag.ContinueOnError)
	formats := fs.String("format", "png,pdf", "comma-separated formats: png, pdf, svg")
	width := fs.Float64("width", 0, "figure width in inches (default: one column of a two-column paper)")
	height := fs.Float64("height", 0, "figure height in inches")
	setUsage(fs, "backstop plot [flags] DIR", "Redraws the figures of the run (or sweep) in DIR from its Parquet files alone, into DIR/figures.")
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("plot takes one run directory, e.g. backstop plot outputs/baseline")}
	}
	if err := checkRunDirArg("plot", fs.Arg(0)); err != nil {
		return err
	}
	if !(*width >= 0 && *height >= 0) { // NaN too
		return usageError{fmt.Errorf("--width and --height must be positive inches, got %v and %v", *width, *height)}
	}
	opt := run.FigureOptions{Formats: strings.Split(*formats, ","), Width: vg.Length(*width) * vg.Inch, Height: vg.Length(*height) * vg.Inch}
	if err := opt.Validate(); err != nil {
		return usageError{err}
	}
	draw := func(dir string, opt run.FigureOptions) ([]string, error) { return run.Plot(dir, opt, stderr) }
	if isSweep(fs.Arg(0)) {
		draw = sweep.Redraw
	}
	files, err := draw(fs.Arg(0), opt)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}

func cmdMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop merge", flag.ContinueOnError)
	force := fs.Bool("force", false, "merge again over a complete run")
	quiet := fs.Bool("quiet", false, "no notes on stderr")
	allowVersion := fs.Bool("allow-version-change", false, "merge shards written by another version of backstop")
	setUsage(fs, "backstop merge [flags] DIR", `Finishes a run computed in shards (backstop run --shard I/N --out DIR): checks that
every shard is complete, then writes the run's summary, bands and figures in DIR.`)
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("merge takes one run directory, e.g. backstop merge outputs/big")}
	}
	logw := stderr
	if *quiet {
		logw = io.Discard
	}
	setResumeHint(ctx, run.MergeCommand(fs.Arg(0)))
	if isExploration(fs.Arg(0)) {
		return mergeExploration(ctx, fs.Arg(0), *force, *allowVersion, stdout, logw)
	}
	setLastWords(ctx, func() { run.MarkStopped(filepath.Join(fs.Arg(0), results.ManifestFile), resumeHint(ctx)) })
	o, err := run.Merge(fs.Arg(0), run.MergeOptions{Figures: true, Log: logw, Force: *force, AllowVersionChange: *allowVersion, Context: ctx})
	if err != nil {
		return err
	}
	m := o.Manifest
	fmt.Fprintf(stdout, "%s: %d paths x %d policies, seed %d, merged -> %s\n", m.Scenario, m.Paths, len(m.Policies), m.Seed, o.Dir)
	return printTables(stdout, o)
}

// cmdInspect prints a run's or a sweep's directory.
func cmdInspect(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop inspect", flag.ContinueOnError)
	setUsage(fs, "backstop inspect DIR", "Prints the manifest, Parquet schema, row counts and summary of the run in DIR,\nor the table and grid points of the sweep in DIR. Reads only; changes nothing.")
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("inspect takes one run directory, e.g. backstop inspect outputs/baseline")}
	}
	if err := checkRunDirArg("inspect", fs.Arg(0)); err != nil {
		return err
	}
	return inspect(fs.Arg(0), stdout)
}

// cmdVersion prints the tool version.
func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop version", flag.ContinueOnError)
	setUsage(fs, "backstop version", "Prints the tool version (recorded in every manifest and Parquet footer), how the simulator runs on this machine and which zstd encoder writes the Parquet pages.")
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError{fmt.Errorf("version takes no arguments, got %q", fs.Args())}
	}
	fmt.Fprintln(stdout, "backstop", results.ToolVersion())
	fmt.Fprintln(stdout, "simulator:", sim.Kernels())
	fmt.Fprintln(stdout, "parquet pages: zstd by", results.ZstdEncoder)
	return nil
}

// effectMetrics are the metrics whose paired effects the command prints (effects.csv and
// summary.md have them all).
var effectMetrics = map[string]bool{
	sim.Metrics[sim.PeakBasisBP].Name: true, sim.Metrics[sim.ForcedSalesBN].Name: true,
	sim.Metrics[sim.FundsDefaulted].Name: true, sim.Metrics[sim.HFLossBN].Name: true,
}

// printTables prints a finished run's summary and its key paired policy effects.
func printTables(stdout io.Writer, o *run.Outcome) error {
	if err := results.PrintSummary(stdout, o.Summary); err != nil {
		return err
	}
	var key []results.EffectRow
	for _, e := range o.Effects {
		if effectMetrics[e.Metric] {
			key = append(key, e)
		}
	}
	if len(key) == 0 {
		return nil
	}
	fmt.Fprintln(stdout, "\npaired effects on the same shocks (mean per-path difference, 95% CI; the unpaired CI for comparison):")
	return results.PrintEffects(stdout, key)
}

// isSweep reports whether dir holds a sweep (finished or not) rather than a run.
func isSweep(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, results.SweepFile))
	return err == nil || sweep.IsSweep(dir)
}

// inspect prints a run directory, or a sweep's table and the runs of its grid points.
func inspect(dir string, stdout io.Writer) error {
	if !isSweep(dir) {
		return results.Inspect(dir, stdout)
	}
	m, err := results.ReadSweepManifest(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sweep %s: %d points, status %s, seed %d, version %s\n", printable.Name(m.Name), len(m.Points), printable.Name(m.Status), m.Seed, results.ShowVersion(m.Version))
	if len(m.Versions) > 0 {
		fmt.Fprintf(stdout, "written by %s\n", results.ShowVersions(m.Versions))
	}
	if err := sweep.CheckFinished(dir); err != nil {
		return err
	}
	rows, _, err := results.ReadSweep(filepath.Join(dir, results.SweepFile))
	if err != nil {
		return err
	}
	for _, metric := range []string{sim.Metrics[sim.PeakBasisBP].Name, sim.Metrics[sim.ForcedSalesBN].Name} {
		fmt.Fprintln(stdout)
		if err := sweep.PrintTable(stdout, rows, metric); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "\neach point's run: backstop inspect %s\n", filepath.Join(dir, results.PointsDir, "<i>"))
	return nil
}
