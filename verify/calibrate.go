package verify

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/calibrate"
	"github.com/backstop-research/backstop/results"
)

// verifyCalibration verifies the calibration in dir: once it is complete, its tables,
// calibrated.yaml, trace, evaluations log and figures against their checksums; before, the
// evaluations log its resume replays is there and readable.
func verifyCalibration(dir string, rep *Report, opt Options) error {
	m, err := calibrate.ReadManifest(dir)
	if err != nil {
		return err
	}
	rep.What = "a calibration of " + strings.Join(m.Parameters, ", ")
	var damaged []string
	switch {
	case m.Status == results.StatusComplete && m.OutputSHA256 != nil:
		damaged = rep.ownFiles(dir, m.Outputs, m.OutputSHA256)
	case m.Status == results.StatusComplete:
		rep.Notes = append(rep.Notes, "this calibration was written by an earlier backstop that did not record checksums of its own files: they were checked only for presence and readability")
		damaged = rep.ownFiles(dir, calibrate.OutputFiles, nil)
	default:
		if exists(filepath.Join(dir, calibrate.EvaluationsFile)) {
			rep.ownFiles(dir, []string{calibrate.EvaluationsFile}, nil)
		}
		why := statusText(m.Status, m.Error)
		rep.Unfinished = append(rep.Unfinished, fmt.Sprintf("the calibration is %s; finish it with %s (it replays the evaluations logged in %s)", why, calibrate.ResumeCommand(dir), calibrate.EvaluationsFile))
	}
	resume := ""
	if m.Status != results.StatusComplete {
		resume = calibrate.ResumeCommand(dir)
	}
	rep.leftovers(dir, []string{results.FiguresDir}, resume)
	if !opt.Quarantine || len(damaged) == 0 {
		return nil
	}
	if err := quarantine(dir, opt, "damaged: calibrate --resume writes it again", damaged); err != nil {
		return err
	}
	// Mark the calibration incomplete: calibrate --resume replays the evaluations log (or,
	// when that was moved, evaluates again) and writes every file again.
	rep.Resume = calibrate.ResumeCommand(dir)
	m.Status, m.Finished, m.Resume = results.StatusIncomplete, "", rep.Resume
	m.Error = quarantinedError
	if err := calibrate.WriteManifest(dir, m); err != nil {
		return rep.notUpdated(dir, err)
	}
	return nil
}
