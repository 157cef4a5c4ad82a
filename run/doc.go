// Package run executes a scenario end to end: it samples paths chunk by chunk with
// sim.Sampler, writes each chunk as a Parquet part, folds the chunk's tallies in chunk
// order (so results are bit-identical for any worker count), then writes the bands, the
// summary, the manifest and the figures.
//
// It is the library behind `backstop run`; the command itself only parses flags.
package run
