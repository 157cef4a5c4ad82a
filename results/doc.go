// Package results reads and writes a run directory: the per-path Parquet parts under
// paths/, bands.parquet, summary.csv and manifest.json, each carrying the run's provenance
// (resolved config, seed, paths, tool version, creation time, schema version).
//
// Column names, units and types come from sim.Metrics and sim.SeriesTable; nothing here
// spells a column name of its own. It does not simulate (package sim) or orchestrate a
// run (package run).
package results
