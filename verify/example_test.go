package verify_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backstop-research/backstop/sweep"
	"github.com/backstop-research/backstop/verify"
)

// A sweep copied from elsewhere is checked in one call: every grid point's run, and the
// sweep's own sweep.parquet against the checksum its manifest records. One byte changed
// is named with its file.
func ExampleDir() {
	tmp, _ := os.MkdirTemp("", "verify-example-")
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "sweep")
	plan, err := sweep.Decode([]byte("name: tiny\npaths: 100\nseed: 1\nparameters:\n  - key: funds.b0\n    values: [500, 1000]\n"), "tiny.yaml")
	if err == nil {
		_, err = sweep.Run(context.Background(), plan, sweep.Options{OutDir: dir})
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	kind, _ := verify.Kind(dir)
	rep, _ := verify.Dir(dir, kind, verify.Options{})
	fmt.Println(verify.Noun(kind), rep.What, rep.Intact(), rep.Runs, rep.RunsIntact)

	table := filepath.Join(dir, "sweep.parquet")
	data, _ := os.ReadFile(table)
	data[len(data)/2] ^= 1
	os.WriteFile(table, data, 0o644)
	rep, _ = verify.Dir(dir, kind, verify.Options{})
	for _, p := range rep.Problems {
		fmt.Println(p[:len("sweep.parquet: changed since it was written")])
	}
	// Output:
	// sweep a sweep of 2 grid points true 2 2
	// sweep.parquet: changed since it was written
}
