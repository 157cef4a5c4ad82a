package results

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Versions lists each version that wrote a directory once, in the order first met, the
// one writing now last, and nothing when it alone wrote it.
func TestVersions(t *testing.T) {
	tests := []struct {
		name    string
		now     string
		earlier [][]string
		want    []string
	}{
		{"a new directory", "b", nil, nil},
		{"resumed by the version that began it", "b", [][]string{{"b"}}, nil},
		{"resumed by another", "b", [][]string{{"a"}}, []string{"a", "b"}},
		{"resumed again by the same", "b", [][]string{{"a", "b"}}, []string{"a", "b"}},
		{"resumed by a third", "c", [][]string{{"a", "b"}}, []string{"a", "b", "c"}},
		{"back to the first", "a", [][]string{{"a", "b"}}, []string{"b", "a"}},
		{"shards of two versions", "b", [][]string{{"a"}, {"b"}, {"a"}}, []string{"a", "b"}},
		{"a manifest with no version", "b", [][]string{WrittenBy(nil, "")}, nil},
	}
	for _, tc := range tests {
		if got := Versions(tc.now, tc.earlier...); !slices.Equal(got, tc.want) || (tc.want == nil) != (got == nil) {
			t.Errorf("%s: Versions(%q, %q) = %q, want %q", tc.name, tc.now, tc.earlier, got, tc.want)
		}
	}
}

// WrittenBy is a manifest's versions list, else its one version.
func TestWrittenBy(t *testing.T) {
	tests := []struct {
		versions []string
		version  string
		want     []string
	}{
		{nil, "a", []string{"a"}},
		{[]string{"a", "b"}, "b", []string{"a", "b"}},
		{nil, "", nil},
	}
	for _, tc := range tests {
		if got := WrittenBy(tc.versions, tc.version); !slices.Equal(got, tc.want) {
			t.Errorf("WrittenBy(%q, %q) = %q, want %q", tc.versions, tc.version, got, tc.want)
		}
	}
}

// CheckResumeVersion refuses another version unless allowed, with an error that names
// both versions and the ways on, and that a caller finds with errors.As.
func TestCheckResumeVersion(t *testing.T) {
	this := ToolVersion()
	tests := []struct {
		begun  string
		allow  bool
		refuse bool
	}{
		{this, false, false},
		{"0.9.0-earlier", false, true},
		{"0.9.0-earlier", true, false},
	}
	for _, tc := range tests {
		err := CheckResumeVersion("out/x", tc.begun, tc.allow, "evaluations", VersionWays("backstop explore --resume out/x", "explore", "out/x"))
		var vc *VersionChangeError
		if tc.refuse != errors.As(err, &vc) {
			t.Fatalf("begun by %s, allow %v: %v; want a refusal: %v", tc.begun, tc.allow, err, tc.refuse)
		}
		want := "cannot resume out/x: it was last written by backstop 0.9.0-earlier, this is " + this + "; its evaluations may differ from this version's (resume anyway with backstop explore --resume out/x --allow-version-change, or start over with backstop explore --config FILE --out out/x --force)"
		if tc.refuse && err.Error() != want {
			t.Errorf("refusal %q, want %q", err, want)
		}
	}
	if got, want := VersionWays("backstop run --resume 'my out' --shard 1/2", "run", "my out", "--shard 1/2"), "or start over with backstop run --config FILE --out 'my out' --shard 1/2 --force"; !strings.HasSuffix(got, want) {
		t.Errorf("a shard's ways %q, want them to end %q", got, want)
	}
	if !strings.Contains(ShardVersionError(1, 2, "shards/shard-1-of-2.json", "0.9.0-earlier", "backstop merge out/x").Error(), "merge anyway with backstop merge out/x --allow-version-change") {
		t.Error("the shard refusal does not name --allow-version-change")
	}
}

// ShowVersion shows a plain version as it is, and a hand-edited one on one line, quoted
// when it holds a control character or nothing, cut short when long (at a character).
func TestShowVersion(t *testing.T) {
	tests := []struct{ v, want string }{
		{"1a8eb1d", "1a8eb1d"},
		{"1a2b3c4+amd64.v3", "1a2b3c4+amd64.v3"},
		{"", `""`},
		{"a\x1b[31mb\nc", `"a\x1b[31mb\nc"`},
		{"a\u202eb", `"a\u202eb"`},
		{strings.Repeat("x", 1000), strings.Repeat("x", maxShownVersion) + "..."},
		{strings.Repeat("x", maxShownVersion-1) + "é", strings.Repeat("x", maxShownVersion-1) + "..."},
	}
	for _, tc := range tests {
		if got := ShowVersion(tc.v); got != tc.want {
			t.Errorf("ShowVersion(%.80q) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
