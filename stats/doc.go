// Package stats holds the estimators backstop reports: streaming, mergeable quantile
// sketches for the bands (sketch.go) with cheap staging counters to fill them
// (counter.go), and means, quantiles, proportions, expected
// shortfall and paired policy effects with their Monte Carlo errors (estimate.go).
//
// It knows nothing of the model: its inputs are numbers, its outputs estimates with
// uncertainty. Everything is deterministic given its inputs and the order of merges.
package stats
