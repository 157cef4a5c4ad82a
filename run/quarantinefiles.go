package run

import "io"

// QuarantineFiles moves files (absolute, or relative to the working directory; those that
// exist) of the output directory dir to dir/quarantine/, keeping their path under it, and
// says so on log, as verify --quarantine does with a run's damaged chunks: what verify
// --quarantine of a sweep, an exploration or a calibration does with their own damaged
// files, which their resume then writes again.
func QuarantineFiles(dir string, log io.Writer, why string, files ...string) error {
	if log == nil {
		log = io.Discard
	}
	return quarantine(dir, log, why, files...)
}
