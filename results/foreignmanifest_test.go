package results

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDecodeManifestRefusesForeign checks that a manifest.json another program wrote,
// valid JSON of no backstop kind, is refused as not backstop's (it was read as a run
// manifest with an empty status), and that backstop's own is not.
func TestDecodeManifestRefusesForeign(t *testing.T) {
	own, err := json.Marshal(&Manifest{SchemaVersion: SchemaVersion, Tool: "backstop", Status: StatusComplete})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, data string
		foreign    bool
	}{
		{"another program's", `{"not": "ours"}`, true},
		{"another tool named", `{"tool": "other", "status": "complete"}`, true},
		{"an empty object", `{}`, true},
		{"backstop's", string(own), false},
	} {
		_, err := DecodeManifest([]byte(c.data), "dir/manifest.json")
		switch {
		case c.foreign && (err == nil || !strings.Contains(err.Error(), "dir/manifest.json is not a backstop manifest")):
			t.Errorf("%s: err %v, want it named as not a backstop manifest", c.name, err)
		case !c.foreign && err != nil:
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
