// Package interop holds the checks that files backstop writes open in readers we did not
// write: a Go test reading every Parquet file of small runs and sweeps with
// github.com/parquet-go/parquet-go, and Node scripts (run by `make interop`) reading them
// with DuckDB, arrow-rs (parquet-wasm), hyparquet and Polars against a Go-side dump
// (cmd godump).
package interop
