// Package plots draws the paper-ready figures of a backstop run from its loaded results.
//
// Every figure is a function from an [Input] (the bands and per-path metrics read back from
// a run's Parquet files) to a drawing, in one house style: sans-serif text sized for a
// two-column paper, the Okabe–Ito colorblind-safe palette with one fixed color per policy
// across every chart, axis labels with units, and legends drawn in a strip above the data so
// they never cover it. [WriteAll] renders the whole set as PNG (300 dpi), PDF (fonts
// embedded) and SVG. The package never simulates and never reads Parquet itself, so figures
// can be redrawn from any run on disk (see package run's DrawFigures).
package plots
