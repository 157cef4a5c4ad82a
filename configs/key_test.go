package configs_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"go.yaml.in/yaml/v3"
)

// TestDecodeKey: decoding one key's node into a decoded scenario gives what decoding the
// file with that key gives, and the same message when the value does not fit the key.
func TestDecodeKey(t *testing.T) {
	const file = "qe:\n  schedule: [100, 80, 60]\n"
	tests := []struct {
		key, value string
		err        string // "" when it decodes
	}{
		{"funds.b0", "600", ""},
		{"market.k0", "250.5", ""},
		{"days", "30", ""},
		{"qe.schedule[1]", "75", ""},
		{"days", "30.5", "test.yaml:4: days: \"30.5\" is not allowed; expected a whole number"},
		{"funds.b0", "abc", "test.yaml:4: funds.b0: \"abc\" is not allowed; expected a number"},
		{"qe.schedule[3]", "1", "test.yaml: qe.schedule[3]: no element 3 here"},
		{"funds.nope", "1", "test.yaml: funds.nope: not a scenario key"},
		{"funds.b0.x", "1", "test.yaml: funds.b0.x: not a scenario key"},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			cfg, err := configs.Decode([]byte(file), "test.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.value), &doc); err != nil {
				t.Fatal(err)
			}
			n := doc.Content[0]
			n.Line = 4
			err = configs.DecodeKey(&cfg, tc.key, n, "test.yaml")
			if fmt.Sprint(err) != tc.err && !(err == nil && tc.err == "") {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if err != nil {
				return
			}
			// The same key written into the file.
			parts := strings.Split(tc.key, ".")
			var body string
			switch {
			case strings.HasPrefix(tc.key, "qe.schedule"):
				body = "qe:\n  schedule: [100, " + tc.value + ", 60]\n"
			case len(parts) == 1:
				body = file + parts[0] + ": " + tc.value + "\n"
			default:
				body = file + parts[0] + ":\n  " + parts[1] + ": " + tc.value + "\n"
			}
			want, err := configs.Decode([]byte(body), "test.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg, want) {
				t.Errorf("DecodeKey gives %+v, the file %+v", cfg, want)
			}
		})
	}
}
