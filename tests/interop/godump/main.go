// Command godump prints Parquet files as backstop's Go side reads them back (Arrow Go, the
// library that wrote them), as one JSON object keyed by the file names given: each file's
// row count, footer key-value metadata and every column's kind ("int", "float",
// "string") and values, dictionary columns as their strings, nulls as null, and the
// floats JSON cannot hold as the strings "NaN", "+Inf" and "-Inf". The interop scripts
// compare every other reader against it.
//
// Usage: godump FILE.parquet...
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/backstop-research/backstop/tests/interop/goside"
)

type column struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Values []any  `json:"values"`
}

type table struct {
	Rows     int64             `json:"rows"`
	Metadata map[string]string `json:"metadata"`
	Columns  []column          `json:"columns"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: godump FILE.parquet...")
		os.Exit(2)
	}
	out := map[string]table{}
	for _, path := range os.Args[1:] {
		tab, err := goside.Read(context.Background(), path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "godump:", err)
			os.Exit(1)
		}
		t := table{Rows: tab.Rows, Metadata: tab.Metadata}
		for _, c := range tab.Columns {
			vals := make([]any, len(c.Values))
			for i, v := range c.Values {
				if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
					v = fmt.Sprint(f) // NaN, +Inf, -Inf
				}
				vals[i] = v
			}
			t.Columns = append(t.Columns, column{c.Name, c.Kind, vals})
		}
		out[path] = t
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "godump:", err)
		os.Exit(1)
	}
}
