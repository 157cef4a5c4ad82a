package calibrate

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/internal/regular"
	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/internal/table"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
	"go.yaml.in/yaml/v3"
)

// File names inside a calibration directory.
const (
	FitFile         = "fit.csv"
	TargetsFile     = "targets.csv"
	ProfileFile     = "profile.csv"
	CalibratedFile  = "calibrated.yaml"
	TraceFile       = "trace.parquet"
	EvaluationsFile = "evaluations.jsonl" // the log an interrupted calibration resumes from
)

// ErrFinished is the error of resuming a calibration that is finished.
var ErrFinished = errors.New("the calibration there is finished; there is nothing to resume (its results are in the directory; calibrate again into another --out, or replace it with --config FILE --force)")

// Kind is Manifest.Kind.
const Kind = "calibration"

// Manifest is a calibration directory's manifest.json.
type Manifest struct {
	SchemaVersion int       `json:"schema_version"`
	Tool          string    `json:"tool"`
	Kind          string    `json:"kind"` // "calibration"
	Version       string    `json:"version"`
	Versions      []string  `json:"versions,omitempty"` // each version that wrote it, when more than one (results.Versions)
	Status        string    `json:"status"`             // as a run's
	Name          string    `json:"name"`
	Seed          uint64    `json:"seed"`
	Paths         int64     `json:"paths"` // per evaluation
	DataPaths     int64     `json:"data_paths"`
	Policies      []string  `json:"policies"`
	Parameters    []string  `json:"parameters"`
	Estimates     []float64 `json:"estimates,omitempty"`
	Objective     *float64  `json:"objective,omitempty"`
	Evaluations   int       `json:"evaluations"` // in the trace when finished
	Converged     *bool     `json:"converged,omitempty"`
	// InvalidEvaluations counts the evaluations penalized because the scenario rejected
	// the point or a target was defined on no path.
	InvalidEvaluations int    `json:"invalid_evaluations"`
	MaxEvaluations     int    `json:"max_evaluations"`
	Created            string `json:"created"`
	Finished           string `json:"finished,omitempty"`
	Command            string `json:"command,omitempty"`
	Resume             string `json:"resume,omitempty"`
	Error              string `json:"error,omitempty"`
	Config             string `json:"config"` // the resolved calibration file, YAML
	// Outputs are the calibration's files (its tables, calibrated.yaml, the trace, the
	// evaluations log and the figures), relative to its directory, and OutputSHA256 the
	// SHA-256 of each as written, recorded when it completes, so that verify checks them.
	// Absent from a manifest of an earlier version.
	Outputs      []string          `json:"outputs,omitempty"`
	OutputSHA256 map[string]string `json:"output_sha256,omitempty"`
}

// ResumeCommand is the command that finishes the calibration in dir, as a user types it
// (dir quoted for a POSIX shell when it needs to be).
func ResumeCommand(dir string) string { return "backstop calibrate --resume " + shellquote.Path(dir) }

// OutputFiles are the files every finished calibration holds besides its figures and
// manifest (the evaluations log first).
var OutputFiles = []string{EvaluationsFile, FitFile, TargetsFile, ProfileFile, CalibratedFile, TraceFile}

// ReadManifest reads dir/manifest.json of a calibration directory.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, results.ManifestFile)
	data, err := regular.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if m.Kind != Kind {
		return nil, fmt.Errorf("%s is not a calibration's manifest (kind %q)", path, m.Kind)
	}
	return &m, nil
}

// WriteManifest writes m atomically as dir/manifest.json: for backstop verify
// --quarantine, which marks a calibration whose damaged files it moved incomplete.
func WriteManifest(dir string, m *Manifest) error { return writeManifest(dir, m) }

func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	return atomicfile.Write(filepath.Join(dir, results.ManifestFile), func(f *os.File) error {
		_, err := f.Write(append(data, '\n'))
		return err
	})
}

// Options configure Run.
type Options struct {
	OutDir        string
	Workers       int // simulation goroutines, 0 for all cores; results do not depend on it
	Figures       bool
	FigureOptions plots.Options
	Command       string
	Progress      io.Writer // progress lines; nil for none
	// Resume finishes the interrupted calibration in OutDir, which must record the same
	// calibration: its logged evaluations are replayed, not simulated again.
	Resume bool
	// Force replaces a finished calibration in OutDir.
	Force bool
	// AllowVersionChange lets Resume finish a calibration begun by another version of
	// backstop, replaying the evaluations that version logged; the manifest then lists the
	// versions that wrote it (versions).
	AllowVersionChange bool
}

// Run estimates the spec's parameters and writes the calibration directory: fit.csv,
// targets.csv, profile.csv, calibrated.yaml, trace.parquet, the figures and
// manifest.json. It refuses a directory that holds a finished calibration (unless
// opt.Force) or anything else, and one another process is writing (the lock of run and
// sweep directories); an interrupted one is finished with opt.Resume.
func Run(ctx context.Context, spec *Spec, opt Options) (*Fit, error) {
	yml, err := spec.YAML()
	if err != nil {
		return nil, err
	}
	dir := opt.OutDir
	if opt.Progress == nil {
		opt.Progress = io.Discard
	}
	// One writer per calibration directory: another calibration (or resume) of it is
	// refused, naming the holder, until this process ends.
	if err := rundir.Check(dir, "calibration", nil); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	lock, err := rundir.Lock(dir, 0, 1, opt.Progress)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	// refuse leaves nothing behind in a directory this call created.
	refuse := func(err error) (*Fit, error) {
		if created {
			lock.Release()
			os.Remove(rundir.LockPath(dir))
			os.Remove(dir)
		}
		return nil, err
	}
	old, err := ReadManifest(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if opt.Resume {
			return nil, fmt.Errorf("--resume %s: no calibration there (%s missing)", dir, results.ManifestFile)
		}
		old = nil
	case err != nil:
		return nil, fmt.Errorf("output directory %s: %w; choose another --out", dir, err)
	case old.Status == results.StatusComplete && opt.Resume:
		return nil, fmt.Errorf("--resume %s: %w", dir, ErrFinished)
	case old.Status == results.StatusComplete && !opt.Force:
		return nil, fmt.Errorf("output directory %s holds a finished calibration; choose another --out, or replace it with --force", dir)
	case old.Status != results.StatusComplete && !opt.Resume && !opt.Force:
		return nil, fmt.Errorf("output directory %s holds an unfinished calibration; resume it with %s, or replace it with --force", dir, ResumeCommand(dir))
	case opt.Resume && old.Config != string(yml):
		return nil, fmt.Errorf("--resume %s: the directory records a different calibration", dir)
	case opt.Resume:
		ways := results.VersionWays(ResumeCommand(dir), "calibrate", dir)
		if err := results.CheckResumeVersion(dir, old.Version, opt.AllowVersionChange, "evaluations", ways); err != nil {
			return nil, err
		}
	}
	// The pilot: a target no parameter value moves is refused before anything is written;
	// a parameter that moves no target is reported.
	fmt.Fprintf(opt.Progress, "calibrate: pilot: %d evaluations at the start and at the ends of each parameter's range\n", 1+2*len(spec.Params))
	pilotPts, unidentified, err := pilot(ctx, spec, opt.Workers)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = interrupted{"calibration interrupted during its pilot; nothing written"}
		}
		return refuse(err)
	}
	for _, key := range unidentified {
		fmt.Fprintf(opt.Progress, "calibrate: WARNING: %s moves no target between the ends of its range: the targets do not identify it, and its standard errors will be NA whatever the budget\n", key)
	}
	if old != nil && !opt.Resume {
		if err := os.Remove(filepath.Join(dir, EvaluationsFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}
	prov := results.NewProvenance(string(yml), spec.Seed, int64(spec.Paths))
	man := &Manifest{
		SchemaVersion: results.SchemaVersion, Tool: "backstop", Kind: Kind, Version: prov.Version,
		Status: results.StatusRunning, Name: spec.Name, Seed: spec.Seed, Paths: int64(spec.Paths),
		DataPaths: int64(spec.DataPaths), Policies: spec.Policies(), Parameters: spec.Keys(),
		MaxEvaluations: spec.MaxEvaluations, Created: prov.Created.Format(time.RFC3339),
		Command: opt.Command, Resume: ResumeCommand(dir), Config: string(yml),
	}
	if old != nil && opt.Resume {
		man.Created, man.Versions = old.Created, results.Versions(man.Version, results.WrittenBy(old.Versions, old.Version))
	}
	if err := writeManifest(dir, man); err != nil {
		return nil, err
	}
	fail := func(err error) (*Fit, error) {
		man.Status, man.Error = results.StatusFailed, err.Error()
		if errors.Is(err, context.Canceled) {
			man.Status, man.Error = results.StatusIncomplete, "interrupted"
			err = interrupted{"calibration interrupted; finish it with " + man.Resume}
		}
		if werr := writeManifest(dir, man); werr != nil {
			err = errors.Join(err, werr)
		}
		return nil, err
	}
	o := newObjective(ctx, spec, opt.Workers, opt.Progress)
	logPath := filepath.Join(dir, EvaluationsFile)
	head := o.header(yml)
	good, err := o.replay(logPath, head)
	if err != nil {
		return fail(err)
	}
	if len(o.cache) > 0 {
		fmt.Fprintf(opt.Progress, "calibrate: replaying %d logged evaluations\n", len(o.cache))
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fail(err)
	}
	defer logFile.Close()
	// Drop a line cut by an interruption, then append; a new log starts with its header.
	if err := logFile.Truncate(good); err != nil {
		return fail(fmt.Errorf("evaluations log %s: %w", logPath, err))
	}
	if _, err := logFile.Seek(good, io.SeekStart); err != nil {
		return fail(fmt.Errorf("evaluations log %s: %w", logPath, err))
	}
	if good == 0 {
		line, err := json.Marshal(head)
		if err != nil {
			return fail(err)
		}
		if _, err := logFile.Write(append(line, '\n')); err != nil {
			return fail(fmt.Errorf("write evaluations log %s: %w", logPath, err))
		}
	}
	o.log = logFile
	if err := o.addPilot(pilotPts); err != nil {
		return fail(err)
	}
	x, converged, err := o.minimize()
	if err != nil {
		return fail(err)
	}
	searched := len(o.trace)
	if converged {
		fmt.Fprintf(opt.Progress, "calibrate: converged after %d evaluations; standard errors and profiles\n", searched)
	} else {
		fmt.Fprintf(opt.Progress, "calibrate: WARNING: the search stopped after %d evaluations (max_evaluations %d) before it converged; standard errors and profiles at the best point\n", searched, spec.MaxEvaluations)
	}
	fit, err := o.infer(x)
	if err != nil {
		return fail(err)
	}
	// The Jacobian's and the profiles' evaluations may find a better point than the
	// search's end: the estimate is the best point evaluated, its inference redone there.
	moved := 0
	for ; moved < maxRedo; moved++ {
		b := o.bestEvaluated()
		if !(b.Objective < fit.Objective) {
			break
		}
		fmt.Fprintf(opt.Progress, "calibrate: evaluation %d (%s) at %s has a lower objective (%.6g) than the search's end (%.6g): the estimate moves there; standard errors and profiles again\n",
			b.Index, b.Phase, o.describe(b.X), b.Objective, fit.Objective)
		if fit, err = o.infer(append([]float64(nil), b.X...)); err != nil {
			return fail(err)
		}
	}
	if b := o.bestEvaluated(); b.Objective < fit.Objective {
		fmt.Fprintf(opt.Progress, "calibrate: WARNING: evaluation %d (%s) at %s still has a lower objective (%.6g) than the estimate (%.6g); raise max_evaluations\n",
			b.Index, b.Phase, o.describe(b.X), b.Objective, fit.Objective)
	}
	fit.Converged, fit.Moved = converged, moved
	fit.Searched, fit.Simulated = searched, len(o.cache)
	fit.Invalid, fit.FirstInvalid, fit.Unidentified = o.invalid, o.firstInvalid, unidentified
	if o.invalid > 0 {
		fmt.Fprintf(opt.Progress, "calibrate: WARNING: %d of %d evaluations could not be evaluated and were penalized with objective %g; the first: %s\n", o.invalid, len(o.trace), unfit, o.firstInvalid)
	}
	figures, err := writeOutputs(dir, fit, prov, opt)
	if err != nil {
		return fail(err)
	}
	man.Outputs = append(append([]string{}, OutputFiles...), figures...)
	if man.OutputSHA256, err = results.SumFiles(dir, man.Outputs); err != nil {
		return fail(err)
	}
	man.Status, man.Finished = results.StatusComplete, time.Now().UTC().Format(time.RFC3339)
	man.Estimates, man.Objective, man.Evaluations, man.Resume, man.Converged = fit.Estimate, &fit.Objective, len(fit.Trace), "", &fit.Converged
	man.InvalidEvaluations = fit.Invalid
	if err := writeManifest(dir, man); err != nil {
		return nil, err
	}
	return fit, nil
}

// interrupted is the error of an interrupted calibration: it is run.ErrInterrupted
// (exit 130) with a message of its own.
type interrupted struct{ msg string }

func (e interrupted) Error() string        { return e.msg }
func (e interrupted) Is(target error) bool { return target == run.ErrInterrupted }

// YAML returns the spec as a self-contained calibration file: the resolved scenario as
// overrides, every target with its weight or band. It is what the outputs record.
func (s *Spec) YAML() ([]byte, error) {
	type param struct {
		Key   string    `yaml:"key"`
		Range []float64 `yaml:"range,flow"`
	}
	type target struct {
		Stat   string    `yaml:"stat"`
		Value  float64   `yaml:"value"`
		Weight float64   `yaml:"weight,omitempty"`
		Band   []float64 `yaml:"band,flow,omitempty"`
	}
	out := struct {
		Name           string     `yaml:"name"`
		Description    string     `yaml:"description,omitempty"`
		Paths          int        `yaml:"paths"`
		DataPaths      int        `yaml:"data_paths"`
		Seed           uint64     `yaml:"seed"`
		MaxEvaluations int        `yaml:"max_evaluations"`
		Overrides      *yaml.Node `yaml:"overrides"`
		Parameters     []param    `yaml:"parameters"`
		Targets        []target   `yaml:"targets"`
	}{Name: s.Name, Description: s.Description, Paths: s.Paths, DataPaths: s.DataPaths, Seed: s.Seed,
		MaxEvaluations: s.MaxEvaluations, Overrides: s.scenario.Tree()}
	for _, p := range s.Params {
		out.Parameters = append(out.Parameters, param{p.Key, []float64{p.Lo, p.Hi}})
	}
	for _, t := range s.Targets {
		tg := target{Stat: t.Stat.Name, Value: t.Value, Band: t.Band}
		if t.Band == nil {
			tg.Weight = t.Weight
		}
		out.Targets = append(out.Targets, tg)
	}
	return yaml.Marshal(out)
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', 8, 64)
}

func writeCSV(path string, rows [][]string) error {
	return atomicfile.Write(path, func(f *os.File) error {
		w := csv.NewWriter(f)
		if err := w.WriteAll(rows); err != nil {
			return err
		}
		return w.Error()
	})
}

// writeOutputs writes every output file of fit into dir, and returns the figures written
// (relative to dir).
func writeOutputs(dir string, fit *Fit, prov results.Provenance, opt Options) ([]string, error) {
	s := fit.Spec
	rows := [][]string{{"parameter", "estimate", "std_error", "std_error_tolerance", "lower", "upper", "bound_binds", "start", "about"}}
	for i, p := range s.Params {
		rows = append(rows, []string{p.Key, num(fit.Estimate[i]), num(fit.SE[i]), num(fit.SETolerance[i]), num(p.Lo), num(p.Hi), fit.Binds[i], num(p.Start), p.About})
	}
	if err := writeCSV(filepath.Join(dir, FitFile), rows); err != nil {
		return nil, err
	}
	rows = [][]string{{"target", "unit", "value", "band_lo", "band_hi", "weight", "simulated", "ci_lo", "ci_hi", "weighted_residual", "met"}}
	for _, t := range fit.Targets {
		lo, hi := math.NaN(), math.NaN()
		if t.Band != nil {
			lo, hi = t.Band[0], t.Band[1]
		}
		rows = append(rows, []string{t.Stat.Name, t.Stat.Path.Unit, num(t.Value), num(lo), num(hi), num(t.Weight),
			num(t.Simulated.Estimate), num(t.Simulated.Lo), num(t.Simulated.Hi), num(t.Residual), t.Met})
	}
	if err := writeCSV(filepath.Join(dir, TargetsFile), rows); err != nil {
		return nil, err
	}
	rows = [][]string{{"parameter", "value", "objective", "at_estimate"}}
	for i, prof := range fit.Profiles {
		for _, e := range prof {
			rows = append(rows, []string{s.Params[i].Key, num(e.X[i]), num(e.Objective), strconv.FormatBool(e.X[i] == fit.Estimate[i])})
		}
	}
	if err := writeCSV(filepath.Join(dir, ProfileFile), rows); err != nil {
		return nil, err
	}
	if err := writeCalibrated(filepath.Join(dir, CalibratedFile), fit); err != nil {
		return nil, err
	}
	if err := writeTrace(filepath.Join(dir, TraceFile), fit, prov); err != nil {
		return nil, err
	}
	if !opt.Figures {
		return nil, nil
	}
	in := &plots.CalibrationInput{Title: fmt.Sprintf("%s: %d paths per evaluation, seed %d", s.Name, s.Paths, s.Seed)}
	for _, t := range fit.Targets {
		in.Targets = append(in.Targets, plots.CalibrationTarget{Name: t.Stat.Name, Value: t.Value, Simulated: t.Simulated.Estimate,
			Lo: t.Simulated.Lo, Hi: t.Simulated.Hi, Scale: 1 / math.Sqrt(t.Weight), Band: t.Band != nil})
	}
	for i, prof := range fit.Profiles {
		pr := plots.CalibrationProfile{Key: s.Params[i].Key, Estimate: fit.Estimate[i], SE: fit.SE[i], SETolerance: fit.SETolerance[i]}
		for _, e := range prof {
			pr.X, pr.Objective = append(pr.X, e.X[i]), append(pr.Objective, e.Objective)
		}
		in.Profiles = append(in.Profiles, pr)
	}
	figs, err := plots.WriteCalibration(in, filepath.Join(dir, results.FiguresDir), opt.FigureOptions)
	return results.RelativeFiles(dir, figs), err
}

// writeCalibrated writes the scenario at the estimates, a file backstop run --config
// accepts, headed by where it came from.
func writeCalibrated(path string, fit *Fit) error {
	s := fit.Spec
	// Named after the calibration, so that its runs land neither in the hand-set
	// scenario's directory nor in the calibration's.
	name := s.Name + "_estimated"
	if !sim.ValidName(name) {
		name = s.Name[:len(s.Name)-len("_estimated")] + "_estimated"
	}
	data, err := s.scenario.Renamed(name).YAML(s.Keys(), fit.Estimate)
	if err != nil {
		return fmt.Errorf("calibrated scenario: %w", err)
	}
	head := fmt.Sprintf("# %s: the scenario at the estimates of backstop calibrate (%d paths per evaluation,\n# seed %d, objective %.6g). Estimated:\n", s.Name, s.Paths, s.Seed, fit.Objective)
	for i, p := range s.Params {
		head += fmt.Sprintf("#   %s = %s (std error %s)\n", p.Key, num(fit.Estimate[i]), num(fit.SE[i]))
	}
	return atomicfile.Write(path, func(f *os.File) error {
		_, err := f.Write(append([]byte(head), data...))
		return err
	})
}

// writeTrace writes every evaluation: its index, phase, parameters, objective and the
// simulated value of each target.
func writeTrace(path string, fit *Fit, prov results.Provenance) error {
	s := fit.Spec
	n := len(fit.Trace)
	idx, phase, obj := make([]int64, n), make([]string, n), make([]float64, n)
	for i, e := range fit.Trace {
		idx[i], phase[i], obj[i] = int64(e.Index), e.Phase, e.Objective
	}
	cols := []results.TableColumn{{Name: "evaluation", Ints: idx}, {Name: "phase", Strings: phase}}
	for k, p := range s.Params {
		v := make([]float64, n)
		for i, e := range fit.Trace {
			v[i] = e.X[k]
		}
		cols = append(cols, results.TableColumn{Name: p.Key, Floats: v})
	}
	cols = append(cols, results.TableColumn{Name: "objective", Floats: obj})
	for j, t := range s.Targets {
		// A statistic defined on no path (NaN) is null.
		v, valid := make([]float64, n), make([]bool, n)
		for i, e := range fit.Trace {
			v[i], valid[i] = e.Moments[j], !math.IsNaN(e.Moments[j])
		}
		cols = append(cols, results.TableColumn{Name: t.Stat.Name, Floats: v, Valid: valid})
	}
	return results.WriteTable(path, prov, cols)
}

// PrintFit writes the estimates and the targets' fit as aligned tables.
func PrintFit(w io.Writer, fit *Fit, dir string) error {
	tw := table.New(w, 0)
	fmt.Fprintln(tw, "parameter\testimate\tstd error\tby tolerance\tstart\tbound")
	for i, p := range fit.Spec.Params {
		fmt.Fprintf(tw, "%s\t%.5g\t%.3g\t%.3g\t%.5g\t%s\n", p.Key, fit.Estimate[i], fit.SE[i], fit.SETolerance[i], p.Start, fit.Binds[i])
	}
	fmt.Fprintln(tw, "\t\t\t\t\t")
	fmt.Fprintln(tw, "target\tvalue\tsimulated [95% MC]\tresidual\tmet")
	for _, t := range fit.Targets {
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g [%.4g, %.4g]\t%+.3f\t%s\n", t.Stat.Name, t.Value, t.Simulated.Estimate, t.Simulated.Lo, t.Simulated.Hi, t.Residual, t.Met)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	conv := "converged"
	switch {
	case !fit.Converged && len(fit.Unidentified) > 0:
		conv = "NOT converged: " + strings.Join(fit.Unidentified, ", ") + " not identified by the targets, which a larger budget does not change"
	case !fit.Converged:
		conv = "NOT converged: raise max_evaluations"
	}
	if fit.Moved > 0 {
		conv += "; estimate moved to the best point the standard errors' and profiles' evaluations found"
	}
	if _, err := fmt.Fprintf(w, "objective %.5g after %d evaluations: %d search, %d standard errors and profiles, %d distinct points simulated (%s) -> %s\n",
		fit.Objective, len(fit.Trace), fit.Searched, len(fit.Trace)-fit.Searched, fit.Simulated, conv, dir); err != nil {
		return err
	}
	for _, key := range fit.Unidentified {
		if _, err := fmt.Fprintf(w, "WARNING: %s moves no target between the ends of its range: not identified (std error NA)\n", key); err != nil {
			return err
		}
	}
	if fit.Invalid > 0 {
		if _, err := fmt.Fprintf(w, "WARNING: %d evaluations could not be evaluated and were penalized; the first: %s\n", fit.Invalid, fit.FirstInvalid); err != nil {
			return err
		}
	}
	return nil
}
