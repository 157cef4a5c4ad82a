// Command godump prints a Parquet file as backstop's Go side reads it back (Arrow Go,
// the library that wrote it), as JSON: the footer's key-value metadata and every column's
// values, dictionary columns as their strings, nulls as null, and the floats that JSON
// cannot hold (NaN, +Inf, -Inf) as those strings. The interop scripts compare every other
// reader against it. Usage: go run ./tests/interop/godump FILE > FILE.json
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/backstop-research/backstop/tests/interop/goside"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: godump FILE.parquet")
		os.Exit(2)
	}
	tab, err := goside.Read(context.Background(), os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "godump:", err)
		os.Exit(1)
	}
	type column struct {
		Name   string `json:"name"`
		Values []any  `json:"values"`
	}
	out := struct {
		Rows     int64             `json:"rows"`
		Metadata map[string]string `json:"metadata"`
		Columns  []column          `json:"columns"`
	}{Rows: tab.Rows, Metadata: tab.Metadata}
	for _, c := range tab.Columns {
		vals := make([]any, len(c.Values))
		for i, v := range c.Values {
			if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				v = fmt.Sprint(f) // NaN, +Inf, -Inf
			}
			vals[i] = v
		}
		out.Columns = append(out.Columns, column{c.Name, vals})
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "godump:", err)
		os.Exit(1)
	}
}
