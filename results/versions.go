package results

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/shellquote"
)

// VersionChangeError is the refusal to resume a directory (a run, a sweep, an
// exploration, a calibration) that another version of backstop began: what it holds may
// differ from what this version would compute. Ways says how to go on: the flag or the
// command that resumes anyway (--allow-version-change) and the one that starts over
// (--force).
type VersionChangeError struct {
	Dir   string // the directory, as the command line named it
	Begun string // the version that wrote it last (its manifest's version): the one that began it, unless resumed
	This  string // this version
	Parts string // what may differ: "chunks", "grid points", "evaluations"
	Ways  string
}

func (e *VersionChangeError) Error() string {
	return fmt.Sprintf("cannot resume %s: it was last written by backstop %s, this is %s; its %s may differ from this version's (%s)", e.Dir, ShowVersion(e.Begun), ShowVersion(e.This), e.Parts, e.Ways)
}

// CheckResumeVersion refuses, with a *VersionChangeError, to resume dir, whose manifest
// records version begun, with this version of backstop, unless allow
// (--allow-version-change); parts and ways are those of the error.
func CheckResumeVersion(dir, begun string, allow bool, parts, ways string) error {
	if this := ToolVersion(); begun != this && !allow {
		return &VersionChangeError{Dir: dir, Begun: begun, This: this, Parts: parts, Ways: ways}
	}
	return nil
}

// ChangeAllowed reports whether resuming a directory whose manifest records versions
// and version (WrittenBy) may take parts that another version wrote without
// --allow-version-change given again: when several versions wrote it, a resume given the
// flag mixed them there already, and each later resume in its last version finishes what
// that consent began (CheckResumeVersion still refuses any other version).
func ChangeAllowed(versions []string, version string) bool {
	return len(WrittenBy(versions, version)) > 1
}

// ShowVersions is versions as inspect shows them: each as ShowVersion shows it, joined
// by commas.
func ShowVersions(versions []string) string {
	shown := make([]string, len(versions))
	for i, v := range versions {
		shown[i] = ShowVersion(v)
	}
	return strings.Join(shown, ", ")
}

// VersionWays is the Ways of a VersionChangeError: the whole command that resumes anyway
// (resume, the command's --resume command line, with --allow-version-change) and the one
// that starts over, backstop command (run, sweep, explore, calibrate) into dir with flags
// (a shard's, say) and --force.
func VersionWays(resume, command, dir string, flags ...string) string {
	over := strings.Join(append([]string{"backstop", command, "--config FILE --out", shellquote.Path(dir)}, append(flags, "--force")...), " ")
	return fmt.Sprintf("resume anyway with %s --allow-version-change, or start over with %s", resume, over)
}

// WrittenBy is the versions a manifest records as having written its directory: its
// versions list, or its one version when it records no list.
func WrittenBy(versions []string, version string) []string {
	if len(versions) > 0 {
		return versions
	}
	if version == "" {
		return nil
	}
	return []string{version}
}

// Versions is the versions key of a manifest that version now writes over a directory
// earlier written by the versions of each of earlier (WrittenBy of each manifest read):
// every version once, in the order first met, now last; nil when now alone wrote it, so
// that a directory of one version has no versions key.
func Versions(now string, earlier ...[]string) []string {
	var all []string
	seen := map[string]bool{"": true, now: true} // a hand-edited list may be long
	for _, list := range earlier {
		for _, v := range list {
			if !seen[v] {
				seen[v] = true
				all = append(all, v)
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	return append(all, now)
}

// ShardVersionError is the refusal to merge shard i of n (its manifest name, relative to
// the directory) that backstop version wrote, this version being another: merge, the
// command that merges the directory, takes --allow-version-change to merge it anyway.
func ShardVersionError(i, n int, name, version, merge string) error {
	return fmt.Errorf("shard %d/%d (%s) was written by backstop %s, this is %s; rerun it, or merge anyway with %s --allow-version-change", i, n, name, ShowVersion(version), ShowVersion(ToolVersion()), merge)
}

// maxShownVersion is the most bytes of a version ShowVersion shows: a version is a short
// commit or tag, a longer one a hand-edited manifest's.
const maxShownVersion = 64

// ShowVersion is version v, as a manifest records it, as messages and inspect show it: as
// it is when it is a plain word; cut to its first maxShownVersion bytes (marked "...")
// when longer; quoted in Go syntax when empty or holding a character that is not
// printable (printable.Name), so that a hand-edited manifest's escape sequence or newline
// never reaches the terminal.
func ShowVersion(v string) string {
	if v == "" {
		return `""`
	}
	if len(v) > maxShownVersion {
		cut := maxShownVersion
		for cut > 0 && !utf8.RuneStart(v[cut]) {
			cut--
		}
		v = v[:cut] + "..."
	}
	return printable.Name(v)
}
