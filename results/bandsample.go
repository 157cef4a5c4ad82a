package results

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// Footer keys of bands.parquet (besides the keys of every file): which paths its quantiles
// count and their Monte Carlo error, as BandSample says.
const (
	KeyBandStride     = "backstop.band_stride"
	KeyBandPaths      = "backstop.band_sample_paths"
	KeyBandOfPaths    = "backstop.band_of_paths"
	KeyBandNote       = "backstop.band_note"
	KeyBandMCError    = "backstop.band_mc_error"
	KeyBandMCErrorAt  = "backstop.band_mc_error_at"
	KeyBandMCErrorP99 = "backstop.band_mc_error_p99"
)

// TwoSigma is the level of a two-standard-error interval, erf(2/sqrt 2), about 0.9545: a
// band quantile's Monte Carlo bracket is its sketch's QuantileInterval at this level.
var TwoSigma = math.Erf(2 / math.Sqrt2)

// BandSample is which paths the quantiles of bands.parquet count, and how precise they
// are: recorded in the manifest ("bands") and in the footer of bands.parquet. The means
// count every path.
type BandSample struct {
	// Stride: the quantiles count path i iff i % Stride == 0, from the run's planned paths
	// and its output.band_paths (sim.OutputParams.BandStride); 1 in a run with a precision
	// target, whose paths are not known when it starts (Note says so).
	Stride int64 `json:"stride"`
	// Paths is the number of paths counted, of OfPaths in the run (the paths drawn).
	Paths   int64 `json:"sample_paths"`
	OfPaths int64 `json:"of_paths"`
	// Note, when set, says why the bands count every path although output.band_paths
	// would thin them (NotePrecisionTarget).
	Note string `json:"note,omitempty"`
	// MCError is the largest Monte Carlo error of a band quantile over every policy,
	// series, day and quantile: half the width of its two-standard-error bracket (the
	// sketch's values at probability p -/+ 2 sqrt(p (1-p) / Paths)) over its series' scale
	// (the largest magnitude of that policy's band of the series: every day, quantile and
	// bracket end). Absent (nil) when no quantile has a bracket (fewer than 2 paths).
	MCError *float64 `json:"mc_error,omitempty"`
	// MCErrorAt says where MCError is: "policy series day t pNN".
	MCErrorAt string `json:"mc_error_at,omitempty"`
	// MCErrorP99 is the 99th percentile of the same errors over every band quantile: the
	// largest is often a quantile at the edge of a point mass or a gap (a policy that acts
	// on some paths and not others), which moves by a jump from sample to sample.
	MCErrorP99 *float64 `json:"mc_error_p99,omitempty"`
}

// NotePrecisionTarget is BandSample.Note of a run with a precision target: it counts every
// path in its bands, since how many paths it will draw is not known when it starts.
const NotePrecisionTarget = "a run with a precision target counts every path"

// NewBandSample describes the bands of d (laid out by BandGroup) counted every stride-th
// path of a run of paths paths, with their Monte Carlo error.
func NewBandSample(d *stats.Distributions, policies []string, T int, stride, paths int64) BandSample {
	bs := BandSample{Stride: stride, Paths: (paths + stride - 1) / stride, OfPaths: paths}
	worst := -1.0
	var all []float64
	ps := make([]float64, len(BandQuantiles))
	for i, q := range BandQuantiles {
		ps[i] = q.P
	}
	ivs := make([]stats.Interval, len(BandQuantiles))
	for k, p := range policies {
		for s := 0; s < sim.NumSeries; s++ {
			type bracket struct {
				day, q int
				half   float64
			}
			var brackets []bracket
			scale := 0.0
			for t := 0; t < T; t++ {
				d.Sketches[BandGroup(k, sim.Series(s), t, T)].QuantileIntervals(ps, TwoSigma, ivs)
				for i, iv := range ivs {
					if math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) {
						continue
					}
					scale = max(scale, math.Abs(iv.Estimate), math.Abs(iv.Lo), math.Abs(iv.Hi))
					brackets = append(brackets, bracket{t, i, (iv.Hi - iv.Lo) / 2})
				}
			}
			for _, b := range brackets {
				rel := 0.0
				if scale > 0 {
					rel = b.half / scale
				}
				all = append(all, rel)
				if rel > worst {
					worst = rel
					bs.MCErrorAt = fmt.Sprintf("%s %s day %d %s", p, sim.SeriesTable[s].Name, b.day, BandQuantiles[b.q].Column)
				}
			}
		}
	}
	if worst >= 0 {
		slices.Sort(all)
		p99 := all[int(math.Ceil(0.99*float64(len(all))))-1]
		bs.MCError, bs.MCErrorP99 = &worst, &p99
	}
	return bs
}

// Words says in a sentence which paths the bands count, e.g. "bands from 200,000 of
// 1,000,000 paths (every 5th)", or "bands from all 50,000 paths; a run with a precision
// target counts every path".
func (b BandSample) Words() string {
	words := fmt.Sprintf("bands from %s of %s paths (every %s)", thousands(b.Paths), thousands(b.OfPaths), ordinal(b.Stride))
	if b.Stride <= 1 {
		words = fmt.Sprintf("bands from all %s paths", thousands(b.OfPaths))
	}
	if b.Note != "" {
		words += "; " + b.Note
	}
	return words
}

// ErrorWords says in a sentence how precise the band quantiles are, as an estimate: e.g.
// "about 1.2% for 99% of the band quantiles and 3.4% at the largest, at qe basis_bp day 6
// p95", or, with a single path, that no Monte Carlo error can be estimated.
func (b BandSample) ErrorWords() string {
	if b.MCError == nil || b.MCErrorP99 == nil {
		return fmt.Sprintf("not estimated: a quantile's Monte Carlo error needs 2 or more paths, the bands count %s", thousands(b.Paths))
	}
	return fmt.Sprintf("about %.2g%% for 99%% of the band quantiles and %.2g%% at the largest, at %s", 100**b.MCErrorP99, 100**b.MCError, b.MCErrorAt)
}

// metadata returns b's footer keys and values.
func (b BandSample) metadata() (keys, values []string) {
	keys = []string{KeyBandStride, KeyBandPaths, KeyBandOfPaths}
	values = []string{strconv.FormatInt(b.Stride, 10), strconv.FormatInt(b.Paths, 10), strconv.FormatInt(b.OfPaths, 10)}
	if b.Note != "" {
		keys, values = append(keys, KeyBandNote), append(values, b.Note)
	}
	if b.MCError != nil {
		keys = append(keys, KeyBandMCError, KeyBandMCErrorAt, KeyBandMCErrorP99)
		values = append(values, strconv.FormatFloat(*b.MCError, 'g', -1, 64), b.MCErrorAt, strconv.FormatFloat(*b.MCErrorP99, 'g', -1, 64))
	}
	return keys, values
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ordinal writes n as an English ordinal: 2nd, 3rd, 4th, 11th, 21st.
func ordinal(n int64) string {
	suffix := "th"
	switch n % 10 {
	case 1:
		suffix = "st"
	case 2:
		suffix = "nd"
	case 3:
		suffix = "rd"
	}
	if n%100 >= 11 && n%100 <= 13 {
		suffix = "th"
	}
	return thousands(n) + suffix
}
