package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Bootstrap configures the percentile bootstrap intervals of the estimators (B. Efron and
// R. J. Tibshirani, An Introduction to the Bootstrap, 1993, ch. 13): the estimator is
// recomputed on Resamples resamples, drawn with replacement from its independent units
// (Saltelli blocks, Morris trajectories), and the interval is the central Level share of
// the recomputed values.
type Bootstrap struct {
	Resamples int     // 0 for 1000
	Level     float64 // 0 for 0.95
	Seed      uint64  // seed of the resampling, so intervals are reproducible
}

func (b Bootstrap) resamples() int {
	if b.Resamples <= 0 {
		return 1000
	}
	return b.Resamples
}

func (b Bootstrap) level() float64 {
	if b.Level <= 0 || b.Level >= 1 {
		return 0.95
	}
	return b.Level
}

func (b Bootstrap) check() error {
	if b.Resamples < 0 || b.Level < 0 || b.Level >= 1 {
		return fmt.Errorf("bootstrap: %d resamples at level %g; use resamples >= 0 and 0 <= level < 1", b.Resamples, b.Level)
	}
	return nil
}

// rng returns the resampling stream of estimate number stream (one per parameter and
// statistic, so that intervals do not depend on how many others are computed).
func (b Bootstrap) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(b.Seed, 0x5eed_0000+stream))
}

// percentile returns the lower and upper percentile-bootstrap limits of stats.
func (b Bootstrap) percentile(stats []float64) (lo, hi float64) {
	s := slices.Clone(stats)
	slices.Sort(s)
	a := (1 - b.level()) / 2
	return quantileSorted(s, a), quantileSorted(s, 1-a)
}

// quantileSorted is the linearly interpolated p-quantile of sorted s (type 7 of Hyndman
// and Fan 1996, NumPy's default).
func quantileSorted(s []float64, p float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := p * float64(len(s)-1)
	i := int(math.Floor(h))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}
