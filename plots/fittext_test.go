package plots

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestFitTextBalancesLines: a wrapped title or label takes as few lines as greedy wrapping
// would, every line fits, and no wrap into that many lines has a narrower widest line
// (checked against every way to break the words), so no word is left alone on a last
// line when the words could share the lines more evenly.
func TestFitTextBalancesLines(t *testing.T) {
	ts := textStyle(sans, titleSize)
	for _, tc := range []struct {
		text string
		w    vg.Length
	}{
		// cb_balance_sheet's title one column wide: greedy wrapping left "paths" alone.
		{"Central-bank balance sheet: median, 25–75% and 5–95% of paths", ColumnWidth - 6},
		{"Central-bank P&L at the horizon ($bn)", 130},
		{"Peak central-bank DV01 ($bn per bp)", 120},
		{"qe: lower on 43.0%, higher on 0.0% of paths", 150},
		{"Share of paths (%, log bins)", 90},
		{"Cash–futures basis: median (line), 25–75% and 5–95% of paths (shading)", ColumnWidth - 6},
	} {
		words := strings.Fields(tc.text)
		greedy := wrapWords(ts, words, tc.w)
		got, out := fitText(ts, tc.text, tc.w)
		if got.Font.Size != ts.Font.Size {
			t.Errorf("%q in %.0f pt: font shrank to %v; every word fits", tc.text, tc.w, got.Font.Size)
		}
		lines := strings.Split(out, "\n")
		if len(lines) != len(greedy) {
			t.Errorf("%q in %.0f pt: %d lines %q, greedy wrapping needs %d", tc.text, tc.w, len(lines), lines, len(greedy))
		}
		if strings.Join(strings.Fields(out), " ") != tc.text {
			t.Errorf("%q in %.0f pt: wrapped into %q, not the same words", tc.text, tc.w, out)
		}
		widest := vg.Length(0)
		for _, l := range lines {
			widest = max(widest, ts.Width(l))
		}
		if widest > tc.w {
			t.Errorf("%q in %.0f pt: a line is %.1f pt wide", tc.text, tc.w, widest)
		}
		if best := narrowestWrap(ts, words, len(greedy)); widest > best+0.5 {
			t.Errorf("%q in %.0f pt: widest line %.1f pt (%q); a wrap into %d lines has %.1f pt",
				tc.text, tc.w, widest, lines, len(greedy), best)
		}
	}
}

// narrowestWrap is the least width of the widest line over every break of words into n
// lines (brute force: the texts are short).
func narrowestWrap(ts textStyleWidth, words []string, n int) vg.Length {
	if n == 1 {
		return ts.Width(strings.Join(words, " "))
	}
	best := vg.Length(1e9)
	for i := 1; i <= len(words)-n+1; i++ {
		first := ts.Width(strings.Join(words[:i], " "))
		best = min(best, max(first, narrowestWrap(ts, words[i:], n-1)))
	}
	return best
}

// textStyleWidth is what narrowestWrap needs of a text style.
type textStyleWidth interface{ Width(string) vg.Length }
