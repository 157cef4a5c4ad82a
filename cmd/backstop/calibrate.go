package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/calibrate"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
)

// cmdCalibrate estimates scenario parameters by the method of simulated moments
// (backstop calibrate --config FILE), or finishes an interrupted estimation.
func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backstop calibrate", flag.ContinueOnError)
	configPath := fs.String("config", "", "calibration `FILE` (YAML): base scenario, overrides, paths, seed, parameters with ranges, targets")
	out := fs.String("out", "", "output directory (default: outputs/<calibration name>)")
	workers := fs.Int("workers", 0, "parallel workers, shared by the evaluations that run at once (default: all cores)")
	formats := fs.String("format", "png,pdf", "comma-separated figure formats: png, pdf, svg")
	noFigures := fs.Bool("no-figures", false, "write the tables only")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	resume := fs.String("resume", "", "finish the interrupted calibration in `DIR` (the one recorded in its manifest)")
	force := fs.Bool("force", false, "replace a calibration already in the output directory")
	allowVersion := fs.Bool("allow-version-change", false, "with --resume: finish a calibration begun by another version of backstop (its manifest then lists both in versions)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: backstop calibrate --config FILE [flags]\n       backstop calibrate --resume DIR\n\nCalibration files are described in docs/calibration.md; examples in configs/calibrate_*.yaml.\n\n")
		fs.PrintDefaults()
	}
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("calibrate takes no arguments, got %q", fs.Args())}
	}
	figOpt := plots.Options{Formats: strings.Split(*formats, ",")}
	if err := figOpt.Validate(); err != nil {
		return usageError{err}
	}
	if *workers < 0 {
		return usageError{fmt.Errorf("--workers %d is not allowed; use 0 (all cores) or more", *workers)}
	}
	if *resume != "" && (*configPath != "" || (*out != "" && filepath.Clean(*out) != filepath.Clean(*resume))) {
		return usageError{errors.New("--resume finishes the calibration recorded in DIR's manifest; it takes no --config or other --out")}
	}
	var recordedOutputs []string // a resume's manifest's, for its figures' formats
	spec, err := planSource[*calibrate.Spec]{
		command: "calibrate", example: "configs/calibrate_march2020.yaml",
		recorded: func(dir string) (string, error) {
			m, err := calibrate.ReadManifest(dir)
			if err != nil {
				return "", err
			}
			recordedOutputs = m.Outputs
			if m.Status == results.StatusComplete {
				return "", calibrate.ErrFinished
			}
			return m.Config, nil
		},
		decode: calibrate.Decode, load: calibrate.Load,
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
		if spec.Paths, capNote, err = capPaths(spec.Paths); err != nil {
			return usageError{err}
		}
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("outputs", spec.Name)
	}
	logw := stderr
	if *quiet {
		logw = io.Discard
	}
	fmt.Fprintf(logw, "calibrate %s: %d parameters, %d targets, %d paths per evaluation, at most %d evaluations, seed %d -> %s\n",
		spec.Name, len(spec.Params), len(spec.Targets), spec.Paths, spec.MaxEvaluations, spec.Seed, dir)
	if capNote != "" {
		fmt.Fprintln(logw, capNote)
	}
	fit, err := calibrate.Run(ctx, spec, calibrate.Options{
		OutDir: dir, Workers: *workers, Figures: !*noFigures, FigureOptions: figOpt, Progress: logw,
		Resume: *resume != "", Force: *force, AllowVersionChange: *allowVersion,
		Command: "backstop " + strings.Join(append([]string{"calibrate"}, args...), " "),
	})
	if errors.Is(err, calibrate.ErrUnusableTarget) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	return calibrate.PrintFit(stdout, fit, dir)
}
