package run

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
)

// bandsProblems checks the bands object of m, the manifest of a complete run in dir, which
// says which paths the band quantiles count and how precise they are (what inspect and
// readers of the manifest show), against the footer of bands.parquet, a file checksummed
// in the manifest, and against what the run's config cfg gives: the stride plan fixes,
// sample_paths every stride-th of of_paths, of_paths the run's paths (the paths drawn). A run of a version
// before the band subset (no bands, no footer keys, a config without output.band_paths)
// passes: its bands count every path.
func bandsProblems(dir string, m *results.Manifest, cfg sim.Config) []string {
	if _, err := os.Stat(filepath.Join(dir, results.BandsFile)); err != nil {
		return nil // outputProblems names a missing bands.parquet
	}
	_, md, err := results.ReadBands(dir)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", results.BandsFile, err)}
	}
	stride, planned := plannedBandStride(m, cfg)
	b := m.Bands
	footerStride, inFooter := md[results.KeyBandStride]
	if b == nil {
		if !inFooter && (stride == 1 || !planned) {
			return nil
		}
		return []string{fmt.Sprintf("%s: no bands (which paths the band quantiles count), though %s's footer has %s %s: it was edited; restore it, or recompute the run", results.ManifestFile, results.BandsFile, results.KeyBandStride, orNothing(footerStride))}
	}
	var diff []string
	field := func(name, got, key string) {
		if want := md[key]; got != want {
			diff = append(diff, fmt.Sprintf("bands.%s %s, but %s's footer has %s %s", name, orNothing(got), results.BandsFile, key, orNothing(want)))
		}
	}
	field("stride", strconv.FormatInt(b.Stride, 10), results.KeyBandStride)
	field("sample_paths", strconv.FormatInt(b.Paths, 10), results.KeyBandPaths)
	if _, ok := md[results.KeyBandOfPaths]; ok { // absent from the footers of runs before it
		field("of_paths", strconv.FormatInt(b.OfPaths, 10), results.KeyBandOfPaths)
	}
	field("note", b.Note, results.KeyBandNote)
	field("mc_error", formatError(b.MCError), results.KeyBandMCError)
	field("mc_error_at", b.MCErrorAt, results.KeyBandMCErrorAt)
	field("mc_error_p99", formatError(b.MCErrorP99), results.KeyBandMCErrorP99)
	if planned && b.Stride != stride {
		diff = append(diff, fmt.Sprintf("bands.stride %d, but the config gives %d (output.band_paths %d of %d planned paths)", b.Stride, stride, cfg.Output.BandPaths, cfg.Paths))
	}
	if b.OfPaths != m.Paths {
		diff = append(diff, fmt.Sprintf("bands.of_paths %d, but the run has %d paths", b.OfPaths, m.Paths))
	}
	if b.Stride > 0 && b.Paths != (b.OfPaths+b.Stride-1)/b.Stride {
		diff = append(diff, fmt.Sprintf("bands.sample_paths %d, but stride %d over %d paths counts %d", b.Paths, b.Stride, b.OfPaths, (b.OfPaths+b.Stride-1)/b.Stride))
	}
	var problems []string
	for _, d := range diff {
		problems = append(problems, fmt.Sprintf("%s: %s: it was edited; restore it, or recompute the run", results.ManifestFile, d))
	}
	return problems
}

// plannedBandStride is the band stride plan fixes for the run of manifest m, whose config
// is cfg (cfg.Paths its planned paths: its most, with a precision target): the run's own
// rule, whatever it is. ok is false when plan refuses the run here (a machine with less
// memory than the run's, say): then only the footer vouches for the stride.
func plannedBandStride(m *results.Manifest, cfg sim.Config) (stride int64, ok bool) {
	opt := Options{Config: cfg, ChunkSize: m.ChunkSize, Workers: 1}
	if m.TargetPrecision != "" {
		t, err := ParseTarget(m.TargetPrecision)
		if err != nil {
			return 0, false
		}
		opt.Target = t
	}
	j, err := plan(opt)
	if err != nil {
		return 0, false
	}
	return j.bandStride, true
}

// formatError writes a band Monte Carlo error as bands.parquet's footer does ("" for none).
func formatError(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'g', -1, 64)
}

// orNothing quotes s, or says "nothing" when it is empty.
func orNothing(s string) string {
	if s == "" {
		return "nothing"
	}
	return strconv.Quote(s)
}
