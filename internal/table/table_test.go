package table_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/backstop-research/backstop/internal/table"
)

// countingWriter counts the writes it is given.
type countingWriter struct {
	strings.Builder
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.Builder.Write(p)
}

func TestWriterMatchesTabwriterInFewWrites(t *testing.T) {
	for _, flags := range []uint{0, tabwriter.AlignRight} {
		var want, got countingWriter
		plain := tabwriter.NewWriter(&want, 0, 0, 2, ' ', flags)
		buffered := table.New(&got, flags)
		for i := range 50 {
			line := fmt.Sprintf("policy%d\t%d\t%.3f\t\n", i, i*i, float64(i)/7)
			fmt.Fprint(plain, line)
			fmt.Fprint(buffered, line)
		}
		if err := plain.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := buffered.Flush(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("flags %d: table differs from tabwriter's:\n%s\nwant\n%s", flags, got.String(), want.String())
		}
		if got.writes > 2 || want.writes < 100 {
			t.Errorf("flags %d: %d writes (tabwriter alone: %d), want at most 2", flags, got.writes, want.writes)
		}
	}
}

func ExampleNew() {
	w := table.New(os.Stdout, tabwriter.AlignRight)
	fmt.Fprintln(w, "policy\tmean\t")
	fmt.Fprintln(w, "none\t79.69\t")
	fmt.Fprintln(w, "spv\t14.1\t")
	w.Flush()
	// Output:
	// policy   mean
	//     none  79.69
	//      spv   14.1
}
