package results_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestBandBracketCoversAllPathQuantile checks the two-standard-error bracket that
// results.NewBandSample reads off a band's sketch: over R disjoint subsets of m of N
// values (every R-th value, as the band subset takes every k-th path), the share of
// subsets whose bracket holds the quantile of all N values must be that of a bracket of
// +/- 2 standard errors, 0.9545, up to the rounding of its ranks to whole ranks (which
// widens it by at most one rank a side) and within 3 binomial standard errors of the
// share over R subsets. The values are lognormal, so that the sketch's bins (1% wide)
// are narrow against the bracket.
func TestBandBracketCoversAllPathQuantile(t *testing.T) {
	const R, m = 2000, 1000
	rng := rand.New(rand.NewPCG(1, 2))
	all := stats.NewSketch()
	subsets := make([]*stats.Sketch, R)
	for r := range subsets {
		subsets[r] = stats.NewSketch()
	}
	for i := 0; i < R*m; i++ {
		x := math.Exp(rng.NormFloat64())
		all.Add(x)
		subsets[i%R].Add(x)
	}
	for _, q := range results.BandQuantiles {
		t.Run(q.Column, func(t *testing.T) {
			want := all.Quantile(q.P)
			covered := 0
			for _, sk := range subsets {
				iv := sk.QuantileInterval(q.P, results.TwoSigma)
				if want >= iv.Lo && want <= iv.Hi {
					covered++
				}
			}
			share := float64(covered) / R
			rankSD := math.Sqrt(m * q.P * (1 - q.P))
			lo := results.TwoSigma
			hi := 2*distuv.UnitNormal.CDF(2+1/rankSD) - 1
			tol := 3 * math.Sqrt(lo*(1-lo)/R)
			if share < lo-tol || share > hi+tol {
				t.Fatalf("the bracket holds the quantile of all values in %.4f of %d subsets; want %.4f to %.4f (+/- %.4f)", share, R, lo, hi, tol)
			}
		})
	}
}

func TestBandSampleWords(t *testing.T) {
	for _, tc := range []struct {
		b    results.BandSample
		want string
	}{
		{results.BandSample{Stride: 1, Paths: 10000, OfPaths: 10000}, "bands from all 10,000 paths"},
		{results.BandSample{Stride: 5, Paths: 200000, OfPaths: 1000000}, "bands from 200,000 of 1,000,000 paths (every 5th)"},
		{results.BandSample{Stride: 2, Paths: 150001, OfPaths: 300001}, "bands from 150,001 of 300,001 paths (every 2nd)"},
		{results.BandSample{Stride: 3, Paths: 4, OfPaths: 12}, "bands from 4 of 12 paths (every 3rd)"},
		{results.BandSample{Stride: 11, Paths: 1, OfPaths: 11}, "bands from 1 of 11 paths (every 11th)"},
		{results.BandSample{Stride: 21, Paths: 1, OfPaths: 21}, "bands from 1 of 21 paths (every 21st)"},
		{results.BandSample{Stride: 112, Paths: 1, OfPaths: 112}, "bands from 1 of 112 paths (every 112th)"},
		{results.BandSample{Stride: 1002, Paths: 1, OfPaths: 1002}, "bands from 1 of 1,002 paths (every 1,002nd)"},
		{results.BandSample{Stride: 1, Paths: 50000, OfPaths: 50000, Note: results.NotePrecisionTarget}, "bands from all 50,000 paths; a run with a precision target counts every path"},
	} {
		if got := tc.b.Words(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.b, got, tc.want)
		}
	}
}

func TestBandSampleErrorWords(t *testing.T) {
	p99, largest := 0.0123, 0.0456
	for _, tc := range []struct {
		b    results.BandSample
		want string
	}{
		{results.BandSample{Stride: 5, Paths: 2000, OfPaths: 10000, MCError: &largest, MCErrorP99: &p99, MCErrorAt: "qe basis_bp day 6 p95"},
			"about 1.2% for 99% of the band quantiles and 4.6% at the largest, at qe basis_bp day 6 p95"},
		{results.BandSample{Stride: 100, Paths: 1, OfPaths: 100}, "not estimated: a quantile's Monte Carlo error needs 2 or more paths, the bands count 1"},
	} {
		if got := tc.b.ErrorWords(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.b, got, tc.want)
		}
	}
}

// ExampleBandSample_Words shows how summary.md names a band subset.
func ExampleBandSample_Words() {
	b := results.BandSample{Stride: 5, Paths: 200_000, OfPaths: 1_000_000}
	fmt.Println(b.Words())
	// Output: bands from 200,000 of 1,000,000 paths (every 5th)
}
