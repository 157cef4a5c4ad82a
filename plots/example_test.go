package plots_test

import (
	"fmt"

	"github.com/backstop-research/backstop/plots"
)

// The figure set, in the order WriteAll writes it; each name is a file stem under figures/.
func ExampleNames() {
	for _, name := range plots.Names() {
		fmt.Println(name)
	}
	// Output:
	// basis_fan
	// peak_basis
	// forced_sales
	// cb_balance_sheet
	// rate_risk
	// defaults
	// pathwise
	// convergence
}
