package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/backstop-research/backstop/internal/rundir"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/internal/table"
	"github.com/backstop-research/backstop/plots"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
	"github.com/backstop-research/backstop/sim"
	"go.yaml.in/yaml/v3"
)

// Options configure Run.
type Options struct {
	OutDir        string        // sweep directory
	Workers       int           // sampler goroutines of each point's run, 0 for all cores
	Figures       bool          // draw the sweep figures after the last point
	FigureOptions plots.Options // formats and size of the figures
	Command       string        // the command line, recorded in the manifests
	Log           io.Writer     // one line per grid point; nil for none
	// Resume finishes the interrupted sweep in OutDir, whose manifest must record the same
	// sweep: finished points are kept, an interrupted point's run is resumed, the rest run.
	Resume bool
	// Force replaces the sweep already in OutDir (finished or not): its manifest, points/,
	// sweep.parquet and figures/ are removed first. Only a directory whose manifest is a
	// sweep's is replaced.
	Force bool
	// AllowVersionChange lets Resume finish a sweep begun by another version of backstop
	// (each point's run too: run.Options.AllowVersionChange); the manifest then lists the
	// versions that wrote it (versions).
	AllowVersionChange bool
}

// StatusPending is the status of a grid point not yet started.
const StatusPending = "pending"

// Outcome is what a finished sweep produced.
type Outcome struct {
	Dir      string
	Manifest *results.SweepManifest
	Rows     []results.SweepRow // as written to sweep.parquet
	Figures  []string
}

// Run runs every grid point of p, one after another, each as a run directory
// OutDir/points/<i> without figures, all with p.Seed; then writes OutDir/sweep.parquet,
// the manifest, and (with opt.Figures) the figures under OutDir/figures. It refuses a
// directory that already holds a manifest. The rows do not depend on opt.Workers.
func Run(ctx context.Context, p *Plan, opt Options) (*Outcome, error) {
	pts, err := p.Points()
	if err != nil {
		return nil, err
	}
	yml, err := p.YAML()
	if err != nil {
		return nil, fmt.Errorf("encode sweep: %w", err)
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	dir := opt.OutDir
	// One writer per sweep directory: a second sweep (or resume) is refused, naming the
	// holder, until this process ends.
	if err := rundir.Check(dir, "sweep", nil); err != nil {
		return nil, err
	}
	lock, err := rundir.Lock(dir, 0, 1, opt.Log)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	var old *results.SweepManifest
	if opt.Resume {
		if old, err = resumable(dir, string(yml)); err != nil {
			return nil, err
		}
		if err := results.CheckResumeVersion(dir, old.Version, opt.AllowVersionChange, "grid points", versionWays(dir)); err != nil {
			return nil, err
		}
		opt.AllowVersionChange = opt.AllowVersionChange || results.ChangeAllowed(old.Versions, old.Version)
		run.RemoveStaleTemps(dir) // the sweep's own files and figures; each point's below
	} else if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err == nil {
		if !opt.Force {
			return nil, fmt.Errorf("output directory %s already holds a run or sweep (%s); choose another --out, resume it with %s, or replace it with --force", dir, results.ManifestFile, ResumeCommand(dir))
		}
		if err := clearSweep(dir, opt.Log); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, results.PointsDir), 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}
	prov := results.NewProvenance(string(yml), p.Seed, int64(p.Paths))
	man := &results.SweepManifest{
		SchemaVersion: results.SchemaVersion, Tool: "backstop", Kind: results.SweepKind,
		Version: prov.Version, Status: results.StatusRunning, Name: p.Name, Seed: p.Seed,
		Paths: int64(p.Paths), Policies: p.Policies(), Created: prov.Created.Format(time.RFC3339),
		Command: opt.Command, Config: string(yml),
	}
	for _, pr := range p.Params {
		man.Parameters = append(man.Parameters, results.SweepParam{Key: pr.Key, Values: pr.Values})
	}
	for _, pt := range pts {
		man.Points = append(man.Points, results.SweepPoint{
			Point: pt.Index, Values: pt.Values,
			Dir:    filepath.Join(results.PointsDir, results.PointName(pt.Index, len(pts))),
			Status: StatusPending,
		})
	}
	// On resume, the sweep's files and points all keep the time it was created, and its
	// manifest the versions that wrote it before (earlier).
	var earlier []string
	if old != nil {
		man.Created, earlier = old.Created, results.WrittenBy(old.Versions, old.Version)
		recordVersions(dir, man, earlier)
		if t, err := time.Parse(time.RFC3339, old.Created); err == nil {
			prov.Created = t
		}
		for i := range man.Points {
			if i < len(old.Points) && old.Points[i].Status != "" {
				man.Points[i].Status = old.Points[i].Status
			}
		}
	}
	if err := results.WriteSweepManifest(dir, man); err != nil {
		return nil, err
	}
	fail := func(err error) (*Outcome, error) {
		man.Status, man.Error = results.StatusFailed, err.Error()
		if errors.Is(err, context.Canceled) || errors.Is(err, run.ErrInterrupted) {
			man.Status, man.Error = results.StatusIncomplete, "interrupted"
		}
		man.Resume = ResumeCommand(dir)
		recordVersions(dir, man, earlier)
		if werr := results.WriteSweepManifest(dir, man); werr != nil {
			err = errors.Join(err, werr)
		}
		return nil, err
	}

	var rows []results.SweepRow
	interrupted := func(i int) (*Outcome, error) {
		return fail(fmt.Errorf("%w: %d of %d grid points done; resume with: %s", run.ErrInterrupted, i, len(pts), ResumeCommand(dir)))
	}
	for i, pt := range pts {
		if ctx.Err() != nil {
			return interrupted(i)
		}
		start := time.Now()
		mp := &man.Points[i]
		summary, err := runPoint(ctx, pt, filepath.Join(dir, mp.Dir), prov.Created, opt, fmt.Sprintf("%s (grid point %d)", opt.Command, pt.Index))
		if err != nil {
			mp.Status = results.StatusFailed
			if errors.Is(err, run.ErrInterrupted) {
				mp.Status = results.StatusIncomplete
				return interrupted(i)
			}
			var vc *results.VersionChangeError
			if errors.As(err, &vc) { // the point's run names the sweep's ways on
				vc.Ways = versionWays(dir)
			}
			return fail(fmt.Errorf("grid point %d (%s): %w", pt.Index, p.describe(pt), err))
		}
		mp.Status = results.StatusComplete
		for _, s := range summary {
			r := results.SweepRow{Point: pt.Index, SummaryRow: s}
			for k, pr := range p.Params {
				r.Params = append(r.Params, results.ParamValue{Name: pr.Key, Value: pt.Values[k]})
			}
			rows = append(rows, r)
		}
		if err := results.WriteSweepManifest(dir, man); err != nil {
			return nil, err
		}
		fmt.Fprintf(opt.Log, "sweep: point %d of 0-%d done  %s  %s  (%.1fs)\n", pt.Index, len(pts)-1, p.describe(pt), headline(summary), time.Since(start).Seconds())
	}
	if err := results.WriteSweep(filepath.Join(dir, results.SweepFile), prov, rows); err != nil {
		return fail(err)
	}
	out := &Outcome{Dir: dir, Manifest: man, Rows: rows}
	if opt.Figures {
		figs, err := DrawFigures(dir, opt.FigureOptions)
		if err != nil {
			return fail(err)
		}
		out.Figures = figs
	}
	if err := recordOutputs(dir, man, out.Figures); err != nil {
		return fail(err)
	}
	man.Status, man.Error, man.Resume = results.StatusComplete, "", ""
	recordVersions(dir, man, earlier)
	man.Finished = time.Now().UTC().Format(time.RFC3339)
	if err := results.WriteSweepManifest(dir, man); err != nil {
		return nil, err
	}
	return out, nil
}

// recordOutputs lists the sweep's own files in man, sweep.parquet and figures (paths
// under dir), with the SHA-256 of each as written.
func recordOutputs(dir string, man *results.SweepManifest, figures []string) error {
	files := append([]string{results.SweepFile}, results.RelativeFiles(dir, figures)...)
	sums, err := results.SumFiles(dir, files)
	if err != nil {
		return err
	}
	man.Outputs, man.OutputSHA256 = files, sums
	return nil
}

// clearSweep removes the sweep in dir for --force: its manifest must be a sweep's, so a
// run or a directory we did not write is never removed; and it removes only what backstop
// wrote there (each point's files as the point's manifest lists them, sweep.parquet, the
// sweep figures, the manifest), so a file of the user's stays, with its directory.
func clearSweep(dir string, log io.Writer) error {
	old, err := results.ReadSweepManifest(dir)
	if err != nil || old.Kind != results.SweepKind {
		return fmt.Errorf("--force: %s does not hold a sweep (%s is not a sweep manifest), so it is not replaced; choose another --out", dir, results.ManifestFile)
	}
	fmt.Fprintf(log, "sweep: --force: replacing the %s sweep %s in %s (created %s)\n", old.Status, old.Name, dir, old.Created)
	var files []string
	for _, pt := range old.Points {
		if !filepath.IsLocal(pt.Dir) {
			continue
		}
		m, err := results.ReadManifest(filepath.Join(dir, pt.Dir))
		if err != nil {
			continue // never started: nothing of ours there
		}
		for _, f := range m.Files() {
			files = append(files, filepath.Join(pt.Dir, f))
		}
	}
	files = append(files, results.SweepFile)
	for _, name := range plots.SweepNames(len(old.Parameters)) {
		for _, format := range []string{"png", "pdf", "svg"} {
			files = append(files, filepath.Join(results.FiguresDir, name+"."+format))
		}
	}
	if err := rundir.RemoveListed(dir, append(files, results.ManifestFile)); err != nil {
		return err
	}
	return nil
}

// resumable reads the manifest of the sweep in dir and checks it records the sweep yml
// and is not finished.
func resumable(dir, yml string) (*results.SweepManifest, error) {
	old, err := results.ReadSweepManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("nothing to resume in %s: %w", dir, err)
	}
	switch {
	case old.Kind != results.SweepKind:
		return nil, fmt.Errorf("%s holds a run, not a sweep; resume it with backstop run --resume %s", dir, shellquote.Path(dir))
	case old.Status == results.StatusComplete:
		return nil, fmt.Errorf("the sweep in %s is already complete: nothing to resume", dir)
	case old.Config != yml:
		return nil, fmt.Errorf("cannot resume %s: its sweep differs from the one given (its manifest holds the sweep to resume)", dir)
	}
	return old, nil
}

// versionWays is how to go on from the refusal to resume the sweep in dir, or one of its
// points, begun by another version (results.VersionChangeError).
func versionWays(dir string) string {
	return results.VersionWays(ResumeCommand(dir), "sweep", dir)
}

// recordVersions sets man's versions: those that wrote the sweep before (earlier) and its
// points' runs (each point's manifest, when it has one), with this one last.
func recordVersions(dir string, man *results.SweepManifest, earlier []string) {
	wrote := [][]string{earlier}
	for _, pt := range man.Points {
		if m, err := results.ReadManifest(filepath.Join(dir, pt.Dir)); err == nil {
			wrote = append(wrote, results.WrittenBy(m.Versions, m.Version))
		}
	}
	man.Versions = results.Versions(man.Version, wrote...)
}

// runPoint runs grid point pt into pointDir and returns its summary. When resuming, a
// point already complete is read back (its summary.csv holds every digit), an interrupted
// one is resumed, and one never started (or cut short before its first manifest) runs
// afresh, stamped with the sweep's creation time created.
func runPoint(ctx context.Context, pt Point, pointDir string, created time.Time, opt Options, command string) ([]results.SummaryRow, error) {
	ro := run.Options{Config: pt.Config, OutDir: pointDir, Workers: opt.Workers, Command: command, Created: created, AllowVersionChange: opt.AllowVersionChange}
	if opt.Resume {
		m, err := results.ReadManifest(pointDir)
		switch {
		case err == nil && m.Status == results.StatusComplete:
			// A point finished by another version is refused as an unfinished one is (by
			// its run): its summary would join this version's in sweep.parquet.
			if err := results.CheckResumeVersion(pointDir, m.Version, opt.AllowVersionChange, "summaries", ""); err != nil {
				return nil, err
			}
			run.RemoveStaleTemps(pointDir)
			return results.ReadSummaryCSV(filepath.Join(pointDir, results.SummaryFile))
		case err == nil:
			ro.Resume = true
		default:
			ro.Force = true // nothing of it is worth keeping
		}
	}
	o, err := run.Execute(ctx, ro)
	if err != nil {
		return nil, err
	}
	return o.Summary, nil
}

// describe names a grid point by its parameter values.
func (p *Plan) describe(pt Point) string {
	var parts []string
	for k, pr := range p.Params {
		parts = append(parts, pr.Key+"="+formatValue(pt.Values[k]))
	}
	return strings.Join(parts, ", ")
}

// headline is the mean peak basis per policy, for the progress line.
func headline(rows []results.SummaryRow) string {
	var parts []string
	for _, r := range rows {
		if r.Metric == sim.Metrics[sim.PeakBasisBP].Name {
			parts = append(parts, fmt.Sprintf("%s %.4g", r.Policy, r.Mean))
		}
	}
	return "peak basis bp: " + strings.Join(parts, ", ")
}

// LoadInput reads what the sweep figures need from the sweep in dir: sweep.parquet, with
// the sweep's name and the parameters' meaning from its footer. It never simulates.
func LoadInput(dir string) (*plots.SweepInput, error) {
	path := filepath.Join(dir, results.SweepFile)
	rows, md, err := results.ReadSweep(path)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s holds no rows", path)
	}
	var head struct {
		Name string `yaml:"name"`
	}
	if err := yaml.Unmarshal([]byte(md[results.KeyConfig]), &head); err != nil {
		return nil, fmt.Errorf("%s: footer %s: %w", path, results.KeyConfig, err)
	}
	paths, err := strconv.ParseInt(md[results.KeyPaths], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s: footer %s = %q is not a path count", path, results.KeyPaths, md[results.KeyPaths])
	}
	in := &plots.SweepInput{Name: head.Name, Paths: paths, Estimates: map[string]map[string][]plots.SweepEstimate{}}
	// Rows come in grid order; each parameter's values are the distinct values it takes,
	// in order of first appearance (the grid order of that parameter).
	seen := make([]map[float64]bool, len(rows[0].Params))
	for k, pv := range rows[0].Params {
		in.Params = append(in.Params, plots.SweepParam{Key: pv.Name, About: About(pv.Name)})
		seen[k] = map[float64]bool{}
	}
	points := 0
	for _, r := range rows {
		if len(r.Params) != len(in.Params) {
			return nil, fmt.Errorf("%s: point %d has %d parameters, point 0 has %d", path, r.Point, len(r.Params), len(in.Params))
		}
		for k, pv := range r.Params {
			if !seen[k][pv.Value] {
				seen[k][pv.Value] = true
				in.Params[k].Values = append(in.Params[k].Values, pv.Value)
			}
		}
		if in.Estimates[r.Policy] == nil {
			in.Estimates[r.Policy] = map[string][]plots.SweepEstimate{}
			in.Policies = append(in.Policies, r.Policy)
		}
		if r.Point != len(in.Estimates[r.Policy][r.Metric]) {
			return nil, fmt.Errorf("%s: rows of %s under %s are not in grid order at point %d", path, r.Metric, r.Policy, r.Point)
		}
		in.Estimates[r.Policy][r.Metric] = append(in.Estimates[r.Policy][r.Metric], plots.SweepEstimate{Mean: r.Mean, Lo: r.Lo, Hi: r.Hi})
		points = max(points, r.Point+1)
	}
	size := 1
	for _, pr := range in.Params {
		size *= len(pr.Values)
	}
	if size != points {
		return nil, fmt.Errorf("%s: %d points do not form the grid of the parameters' values (%d)", path, points, size)
	}
	return in, nil
}

// DrawFigures redraws the sweep figures of the sweep in dir into dir/figures from its
// sweep.parquet alone, and returns the files written.
func DrawFigures(dir string, opt plots.Options) ([]string, error) {
	in, err := LoadInput(dir)
	if err != nil {
		return nil, err
	}
	return plots.WriteSweep(in, filepath.Join(dir, results.FiguresDir), opt)
}

// PrintTable writes one metric of a sweep as an aligned table for a terminal: a line per
// grid point with the parameter values and, per policy, the mean and its 95% CI.
func PrintTable(w io.Writer, rows []results.SweepRow, metric string) error {
	tw := table.New(w, tabwriter.AlignRight)
	var policies []string
	cells := map[int]map[string]results.SweepRow{}
	var order []int
	for _, r := range rows {
		if r.Metric != metric {
			continue
		}
		if cells[r.Point] == nil {
			cells[r.Point] = map[string]results.SweepRow{}
			order = append(order, r.Point)
		}
		if !slices.Contains(policies, r.Policy) {
			policies = append(policies, r.Policy)
		}
		cells[r.Point][r.Policy] = r
	}
	if len(order) == 0 {
		return fmt.Errorf("no rows of metric %q", metric)
	}
	first := cells[order[0]][policies[0]]
	head := []string{"point"}
	for _, pv := range first.Params {
		head = append(head, pv.Name)
	}
	for _, pol := range policies {
		head = append(head, pol+" "+metric+" [95% CI]")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	for _, i := range order {
		line := []string{strconv.Itoa(i)}
		for _, pv := range cells[i][policies[0]].Params {
			line = append(line, formatValue(pv.Value))
		}
		for _, pol := range policies {
			r := cells[i][pol]
			line = append(line, fmt.Sprintf("%s [%s, %s]", g(r.Mean), g(r.Lo), g(r.Hi)))
		}
		fmt.Fprintln(tw, strings.Join(line, "\t")+"\t")
	}
	return tw.Flush()
}
