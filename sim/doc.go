// Package sim implements the basis-trade fire-sale model of docs/model.md (spec v1): the shocks
// (section 2), the hedge funds (section 3), dealers and price impact (section 4), the
// policies (section 5), one day in the normative step order (section 6), the per-path
// outputs (section 7), and a parallel sampler whose results do not depend on the number of
// workers.
//
// It is not for I/O: writing Parquet, bands and summaries lives in package results, and
// orchestration of a whole run in package run.
package sim
