package results_test

import (
	"fmt"

	"github.com/backstop-research/backstop/results"
)

// ExampleVersions is the versions key of a manifest that version 1.1 writes when it
// resumes, with --allow-version-change, a directory that 1.0 began (its manifest records
// version 1.0 and no versions), and when 1.1 resumes it once more.
func ExampleVersions() {
	first := results.Versions("1.1", results.WrittenBy(nil, "1.0"))
	again := results.Versions("1.1", results.WrittenBy(first, "1.1"))
	alone := results.Versions("1.1", results.WrittenBy(nil, "1.1"))
	fmt.Println(first, again, alone == nil)
	// Output: [1.0 1.1] [1.0 1.1] true
}
