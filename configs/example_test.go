package configs_test

import (
	"fmt"

	"github.com/backstop-research/backstop/configs"
)

// ExampleDecode reads a scenario that changes a few keys of the baseline; every other
// parameter keeps its baseline value.
func ExampleDecode() {
	cfg, err := configs.Decode([]byte(`
scenario: small_spv
policies: [none, spv]
spv:
  capacity: 250
`), "small_spv.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Scenario, cfg.Policies, cfg.SPV.Capacity, cfg.SPV.Discount, cfg.Paths)
	// Output:
	// small_spv [none spv] 250 5 10000
}

// ExampleDecode_error shows the error a user sees: the file, the line and the key, the
// value and what is allowed.
func ExampleDecode_error() {
	_, err := configs.Decode([]byte("spv:\n  equity: 1.5\n"), "bad.yaml")
	fmt.Println(err)
	_, err = configs.Decode([]byte("spv:\n  capacty: 250\n"), "typo.yaml")
	fmt.Println(err)
	// Output:
	// bad.yaml: spv.equity: 1.5 is not allowed; must be in [0, 1)
	// typo.yaml:2: spv.capacty: unknown key; allowed here: announce_theta, capacity, discount, equity, t_exp, trigger
}
