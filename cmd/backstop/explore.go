package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/explore"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/run"
)

// cmdExplore runs a global sensitivity, uncertainty or scenario-discovery design
// (backstop explore --config FILE), or finishes an interrupted one (--resume DIR).
func cmdExplore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop explore", flag.ContinueOnError)
	configPath := fs.String("config", "", "explore `FILE` (YAML): base scenario, overrides, design, samples, paths, seed, parameters with ranges, discover")
	out := fs.String("out", "", "output directory (default: outputs/<name>)")
	workers := fs.Int("workers", 0, "parallel workers, shared by the evaluations that run at once (default: all cores)")
	resume := fs.String("resume", "", "finish the interrupted exploration in `DIR` (the file recorded in its manifest)")
	force := fs.Bool("force", false, "replace the results already in the output directory")
	allowVersion := fs.Bool("allow-version-change", false, "with --resume (or a shard run again): finish an exploration begun by another version of backstop (its manifest then lists both in versions)")
	formats := fs.String("format", "png,pdf", "comma-separated figure formats: png, pdf, svg")
	noFigures := fs.Bool("no-figures", false, "write the tables only")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	shardFlag := fs.String("shard", "", "compute only shard `I/N` of the evaluations into --out; finish with backstop merge DIR (also read from a Slurm job array)")
	keep := fs.String("keep-runs", "", "comma-separated `EVALUATIONS` (indices) to also run in full, each a run directory under runs/")
	shards := fs.Int("shards", 0, "shard count `N` of a Kubernetes Indexed Job (the shard is JOB_COMPLETION_INDEX+1)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: backstop explore --config FILE [flags]\n       backstop explore --resume DIR\n\nExplore files are described in docs/explore.md; an example is configs/explore_spv_robustness.yaml.\nWithout --out the exploration goes to outputs/<name>.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("explore takes no arguments, got %q", fs.Args())}
	}
	figOpt := plots.Options{Formats: strings.Split(*formats, ",")}
	if err := figOpt.Validate(); err != nil {
		return usageError{err}
	}
	if *workers < 0 {
		return usageError{fmt.Errorf("--workers %d is not allowed; use 0 (all cores) or more", *workers)}
	}
	shard, shardSource, err := resolveShard(*shardFlag, *shards, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	if shard.Count > 1 && *resume != "" {
		return usageError{errors.New("--resume finishes a whole exploration; a shard resumes when run again with the same --shard and --out")}
	}
	if *resume != "" && (*configPath != "" || *force || (*out != "" && filepath.Clean(*out) != filepath.Clean(*resume))) {
		return usageError{errors.New("--resume finishes the exploration recorded in DIR's manifest; it takes no --config, --force or other --out")}
	}
	var recordedOutputs []string // a resume's manifest's, for its figures' formats
	plan, err := planSource[*explore.Plan]{
		command: "explore", example: "configs/explore_spv_robustness.yaml",
		recorded: func(dir string) (string, error) {
			m, err := explore.ReadManifest(dir)
			if err != nil {
				return "", err
			}
			recordedOutputs = m.Outputs
			return m.Config, nil
		},
		decode: explore.Decode, load: explore.Load,
	}.plan(*resume, *configPath)
	if err != nil {
		return err
	}
	if *resume != "" {
		figOpt.Formats = resumeFormats(fs, figOpt.Formats, recordedOutputs)
		*out = *resume
	}
	capNote := ""
	if *resume == "" {
		if plan.Paths, capNote, err = capPaths(plan.Paths); err != nil {
			return usageError{err}
		}
	}
	var keepRuns []int // nil: not named (a resume then keeps the recorded ones)
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "keep-runs" {
			keepRuns = []int{}
		}
	})
	for _, f := range strings.Split(*keep, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		i, err := strconv.Atoi(f)
		if err != nil || i < 0 || i >= plan.Evaluations() {
			return usageError{fmt.Errorf("--keep-runs %q: %q is not an evaluation; use indices from 0 to %d", *keep, f, plan.Evaluations()-1)}
		}
		keepRuns = append(keepRuns, i)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("outputs", plan.Name)
	}
	logw := stderr
	if *quiet {
		logw = io.Discard
	}
	if shard.Count > 1 {
		fmt.Fprintf(logw, "explore: shard %d/%d (%s)\n", shard.Index, shard.Count, shardSource)
	}
	fmt.Fprintf(logw, "explore %s: %s design, %d evaluations x %d paths x %d policies, seed %d -> %s\n",
		plan.Name, plan.Design, plan.Evaluations(), plan.Paths, len(plan.Policies()), plan.Seed, dir)
	if capNote != "" {
		fmt.Fprintln(logw, capNote)
	}
	if shard.Count > 1 {
		// A shard resumes when run again as it was started.
		setResumeHint(ctx, commandLine(append([]string{"explore"}, args...)))
	} else {
		setResumeHint(ctx, explore.ResumeCommand(dir))
	}
	o, err := explore.Run(ctx, plan, explore.Options{
		OutDir: dir, Workers: *workers, Log: logw, Resume: *resume != "", Force: *force, Figures: !*noFigures, FigureFormats: figOpt.Formats, Shard: shard, KeepRuns: keepRuns, AllowVersionChange: *allowVersion,
		Command: "backstop " + strings.Join(append([]string{"explore"}, args...), " "),
	})
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: finished evaluations are kept; resume with %s", run.ErrInterrupted, explore.ResumeCommand(dir))
	}
	if errors.Is(err, explore.ErrKeepRuns) {
		return usageError{err} // a resume's --keep-runs that the exploration was not begun with
	}
	if err != nil {
		return err
	}
	if shard.Count > 1 {
		fmt.Fprintf(stdout, "shard %d/%d: %d evaluations (%d failed) in %s/; when every shard is done: %s\n",
			shard.Index, shard.Count, len(o.Evaluations), o.Manifest.Failed, explore.EvaluationsDir, run.MergeCommand(dir))
		return nil
	}
	fmt.Fprintf(stdout, "wrote %s (%d evaluations, %d failed), %s, %s", explore.SamplesFile, o.Manifest.Evaluations, o.Manifest.Failed, explore.SensitivityCSV, explore.SensitivityFile)
	if o.Boxes > 0 {
		fmt.Fprintf(stdout, ", %s (%d peeling steps)", explore.BoxesFile, o.Boxes)
	}
	fmt.Fprintf(stdout, ", %d figures -> %s\n", len(o.Figures), dir)
	return nil
}

// mergeExploration finishes an exploration computed in shards (backstop merge DIR).
func mergeExploration(ctx context.Context, dir string, force, allowVersion bool, stdout, logw io.Writer) error {
	o, err := explore.Merge(dir, explore.MergeOptions{Figures: true, Force: force, Log: logw, Command: run.MergeCommand(dir), Context: ctx, AllowVersionChange: allowVersion})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d evaluations (%d failed) merged -> %s\n", o.Manifest.Name, o.Manifest.Evaluations, o.Manifest.Failed, dir)
	return nil
}

// isExploration reports whether dir holds an exploration or its shards, for merge.
func isExploration(dir string) bool { return explore.IsExploration(dir) }
