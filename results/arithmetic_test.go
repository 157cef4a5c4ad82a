package results

import (
	"runtime"
	"strings"
	"testing"
)

func TestArithmeticTag(t *testing.T) {
	for _, tc := range []struct{ goarch, level, want string }{
		{"amd64", "", ""},
		{"amd64", "v1", ""},
		{"amd64", "v2", ""},
		{"amd64", "v3", "+amd64.v3"},
		{"amd64", "v4", "+amd64.v4"},
		{"arm64", "v8.0", "+arm64.v8.0"},
		{"arm64", "", "+arm64"},
		{"ppc64le", "power8", "+ppc64le.power8"},
	} {
		if got := arithmeticTag(tc.goarch, tc.level); got != tc.want {
			t.Errorf("arithmeticTag(%q, %q) = %q, want %q", tc.goarch, tc.level, got, tc.want)
		}
	}
	// This test binary's own version carries its tag.
	if tag := arithmetic(); !strings.HasSuffix(ToolVersion(), tag) || (runtime.GOARCH != "amd64" && tag == "") {
		t.Errorf("ToolVersion %q, arithmetic %q on %s", ToolVersion(), tag, runtime.GOARCH)
	}
}
