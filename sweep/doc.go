// Package sweep runs a scenario over a grid of one or two parameters and collects the
// summary of every grid point.
//
// A sweep file (see [Decode] and docs/sweeps.md) names a base scenario, overrides, the
// paths and seed, and the parameters by their scenario keys (funds.b0, spv.discount, ...)
// with a grid of values each. Every grid point is the base scenario with those keys set in
// its YAML tree and decoded by package configs, so a bad grid value is rejected with the
// usual message naming the key. Every point runs with the same seed: the shocks depend
// only on (seed, path), so the points differ by the parameter alone (common random numbers
// across the grid) unless the parameter shapes the shocks themselves (shocks.*, days).
//
// [Run] executes the points one after another with package run (each a complete run
// directory under points/), writes sweep.parquet (one row per point, policy and summary
// metric) and a manifest, and draws the sweep figures from sweep.parquet. It does not
// simulate (package sim), write Parquet (package results) or draw (package plots) itself.
package sweep
