package results

// TalliesDir holds a run's per-chunk checkpoints (package run writes and reads them).
const TalliesDir = "tallies"

// RunFileKind says what a file of a run directory is for.
type RunFileKind int

const (
	// Result is a table or report a user reads: listed on the command's "wrote" line.
	Result RunFileKind = iota
	// Figures is the figures directory, reported by count.
	Figures
	// Bookkeeping is what lets a run be resumed, merged and traced: the manifest, the
	// checkpoints, the shards' manifests.
	Bookkeeping
)

// RunFile is one file or directory of a run directory.
type RunFile struct {
	Name    string      // name in the run directory (a directory has no trailing slash)
	Dir     bool        // Name is a directory
	Pattern string      // as docs/outputs.md shows it, e.g. "paths/part-NNNNN.parquet"
	Kind    RunFileKind // what it is for
}

// RunFiles is the one list of what a run writes into its directory, in the order of
// docs/outputs.md's table: `run --force` removes the Result files among them (with the
// parts and checkpoints the old manifest lists), the command's "wrote" line lists the
// Result ones, and a test keeps the docs' table in step. A new output file is a
// constant for its name and a line here.
var RunFiles = []RunFile{
	{ManifestFile, false, ManifestFile, Bookkeeping},
	{PathsDir, true, PathsDir + "/part-NNNNN.parquet", Result},
	{BandsFile, false, BandsFile, Result},
	{SummaryFile, false, SummaryFile, Result},
	{EffectsFile, false, EffectsFile, Result},
	{TailsFile, false, TailsFile, Result},
	{ConvergenceFile, false, ConvergenceFile, Result},
	{ReportFile, false, ReportFile, Result},
	{FiguresDir, true, FiguresDir + "/", Figures},
	{TalliesDir, true, TalliesDir + "/chunk-NNNNN.bin", Bookkeeping},
	{ShardsDir, true, ShardsDir + "/shard-I-of-N.json", Bookkeeping},
}

// ResultNames returns the names of the Result files, directories with a trailing slash,
// in RunFiles order.
func ResultNames() []string {
	var names []string
	for _, f := range RunFiles {
		if f.Kind == Result {
			if f.Dir {
				names = append(names, f.Name+"/")
			} else {
				names = append(names, f.Name)
			}
		}
	}
	return names
}
