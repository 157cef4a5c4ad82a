package configs

import (
	"errors"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the strict decoder: it must never panic, every
// rejection must be a configs *Error naming its source, and every config it accepts must
// pass validation and survive a Marshal/Decode round trip unchanged.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"", "paths: 10\n", "funds:\n  n_funds: 3\n", "spv:\n  trigger: [1]\n",
		"market:\n  k0: lots\n", "shocks:\n  sigma_bar: -6\n", "policies: [none, spv]\n",
		"days: 0\n", "funds: {h0: 1.5}\n", "? [a]\n: b\n", "&a [*a]\n", "seed: 18446744073709551615\n",
		"scenario: \"a b\"\n", "paths: 1e9\n", "- 1\n- 2\n", "%YAML 1.2\n---\n",
		"output:\n  band_paths: -1\n", "output: {band_paths: all}\n",
	} {
		f.Add([]byte(seed))
	}
	base := BaselineYAML()
	f.Add(base)
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Decode(data, "fuzz.yaml")
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("rejection %q is not a configs error naming the file", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("accepted a config that fails validation: %v", err)
		}
		out, err := Marshal(&cfg)
		if err != nil {
			t.Fatalf("marshal an accepted config: %v", err)
		}
		again, err := Decode(out, "marshalled")
		if err != nil {
			t.Fatalf("an accepted config does not decode after Marshal: %v\n%s", err, out)
		}
		out2, _ := Marshal(&again)
		if string(out2) != string(out) {
			t.Fatalf("round trip changed the config:\n%s\nvs\n%s", out, out2)
		}
	})
}
