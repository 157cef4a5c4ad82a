package main

import (
	"flag"

	"github.com/backstop-research/backstop/plots"
)

// resumeFormats returns the figure formats a resume draws in: given, when --format is on
// the command line (in fs); else those of the figures the manifest's outputs record
// (plots.FormatsOf), so that a sweep, exploration or calibration repaired by verify
// --quarantine and its resume has its figures in the formats it had; else given (the
// default) for a directory whose figures were never drawn.
func resumeFormats(fs *flag.FlagSet, given, outputs []string) []string {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "format" })
	if recorded := plots.FormatsOf(outputs); !set && len(recorded) > 0 {
		return recorded
	}
	return given
}
