package results_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/run"
)

// ExampleReadPathColumns reads two per-path metric columns of a run from its Parquet
// parts, as figures and reports do.
func ExampleReadPathColumns() {
	dir, err := os.MkdirTemp("", "backstop-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	cfg := configs.Baseline()
	cfg.Paths = 600
	out := filepath.Join(dir, "run")
	if _, err := run.Execute(context.Background(), run.Options{Config: cfg, OutDir: out, ChunkSize: 300}); err != nil {
		fmt.Println(err)
		return
	}

	pc, err := results.ReadPathColumns(out, []string{"peak_basis_bp", "funds_defaulted"})
	if err != nil {
		fmt.Println(err)
		return
	}
	parts, _ := results.PartFiles(out)
	fmt.Printf("%d parts, %d rows (paths x policies), first row: path %d, %s, peak basis %.1f bp\n",
		len(parts), len(pc.Path), pc.Path[0], pc.Policy[0], pc.Columns["peak_basis_bp"][0])
	// Output:
	// 2 parts, 1800 rows (paths x policies), first row: path 0, none, peak basis 164.6 bp
}

// ExampleResultNames lists the tables and reports a run writes, as the command's "wrote"
// line does.
func ExampleResultNames() {
	fmt.Println(results.ResultNames())
	// Output:
	// [paths/ bands.parquet summary.csv effects.csv tails.csv convergence.parquet summary.md]
}
