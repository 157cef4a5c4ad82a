// Package explore runs a design of many evaluations of a scenario over uncertain
// parameters and reduces them to global sensitivity indices, uncertainty distributions
// and scenario-discovery boxes: the library behind `backstop explore` (docs/explore.md).
//
// An explore file (see [Decode]) names a base scenario and overrides as a sweep file does
// (package sweep decodes them), the uncertain parameters with their ranges, a design
// (sobol, morris or lhs), the number of samples, the paths per evaluation and the seed.
// The design's unit-cube points come from package sensitivity; every evaluation runs the
// scenario with the same seed through package evaluate, so all evaluations share their
// shocks (common random numbers) and keep summary statistics only.
//
// [Run] evaluates in chunks, each written to evaluations/ as it finishes, so that an
// interrupted exploration resumes where it stopped with the same bytes; then it writes
// samples.parquet, sensitivity.csv and .parquet, and with a discover condition
// boxes.csv. An evaluation the scenario rejects, or whose results are not finite, is
// recorded with its reason and dropped from the indices by the rule of its design.
package explore
