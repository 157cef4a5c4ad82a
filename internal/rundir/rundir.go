// Package rundir holds the rules every backstop output directory follows (a run, a sweep,
// an exploration, a calibration), so that all kinds behave the same: never the file
// system root; never an existing, non-empty directory without a backstop manifest (it
// would mix our files with someone else's); one writer at a time, held by a lock that
// names its holder; and --force removes only what backstop wrote there, never a file it
// did not write.
package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/internal/dirlock"
	"github.com/backstop-research/backstop/results"
)

// ErrBadOutDir is wrapped by the refusal of an output directory no command line should
// name (the file system root, a regular file): a usage error, exit status 2.
var ErrBadOutDir = errors.New("not an output directory")

// badOutDir is such a refusal: its message, and errors.Is(err, ErrBadOutDir).
type badOutDir struct{ msg string }

func (e badOutDir) Error() string        { return e.msg }
func (e badOutDir) Is(target error) bool { return target == ErrBadOutDir }

// Refusef is a refusal, before anything is written, of an output directory that holds
// something this command must not write into (another run's shards, a run in one process
// for a shard): like ErrBadOutDir, a usage error, exit status 2.
func Refusef(format string, args ...any) error {
	return badOutDir{fmt.Sprintf(format, args...)}
}

// CheckNotRoot refuses the file system root as an output directory.
func CheckNotRoot(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	if abs == filepath.Dir(abs) {
		return badOutDir{fmt.Sprintf("output directory %s is the file system root; choose a directory of its own, e.g. --out outputs/run1", dir)}
	}
	return nil
}

// Check refuses, before anything is written, an output directory dir that backstop must
// not write into: the root, a path that is not a directory, or an existing directory that
// is not empty and holds no backstop manifest (allowed, when not nil, names entries that
// are the caller's own without a manifest, e.g. the shards of a run). kind ("run",
// "sweep", "exploration", "calibration") names what was expected there. A directory
// with a manifest passes: the caller decides from the manifest.
func Check(dir, kind string, allowed func(os.DirEntry) bool) error {
	if err := CheckNotRoot(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if errors.Is(err, syscall.ENOTDIR) {
		return badOutDir{fmt.Sprintf("output directory %s is a file, not a directory; choose a directory with --out", dir)}
	}
	if err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err == nil {
		return nil
	}
	var foreign []string
	for _, e := range entries {
		// The lock, and the temporary file of a write cut short (a run killed before
		// its first manifest), are backstop's own.
		if e.Name() == dirlock.FileName || atomicfile.IsTemp(e.Name()) || (allowed != nil && allowed(e)) {
			continue
		}
		foreign = append(foreign, e.Name())
	}
	if len(foreign) == 0 {
		return nil
	}
	shown := foreign
	if len(shown) > 5 {
		shown = append(shown[:5:5], fmt.Sprintf("and %d more", len(foreign)-5))
	}
	return fmt.Errorf("output directory %s is not empty and holds no backstop %s (%s): it holds %s; choose an empty or new directory with --out (backstop never replaces files it did not write, even with --force)",
		dir, kind, results.ManifestFile, strings.Join(shown, ", "))
}

// RemoveListed removes, for --force, the files named by files (paths relative to dir,
// as a manifest lists them) and nothing else: a name that is not local to dir, or that
// crosses a symbolic link, is skipped; directories that the removals leave empty are
// removed too, so a user's file beside ours keeps its directory.
func RemoveListed(dir string, files []string) error {
	for _, f := range files {
		if f == "" || !filepath.IsLocal(f) || crossesLink(dir, f) {
			continue
		}
		err := os.Remove(filepath.Join(dir, f))
		if err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("--force: remove the previous %s: %w", f, err)
		}
	}
	RemoveEmptied(dir, files)
	return nil
}

// RemoveEmptied removes the directories of dir that hold the files named by files (paths
// relative to dir, as a manifest lists them), and their parents below dir, that are empty
// now that those files are gone (removed, or moved away), deepest first: a directory
// holding anything else stays, and so does one reached through a symbolic link or outside
// dir (skipped as RemoveListed skips such names).
func RemoveEmptied(dir string, files []string) {
	var dirs []string
	for _, f := range files {
		if f == "" || !filepath.IsLocal(f) || crossesLink(dir, f) {
			continue
		}
		for d := filepath.Dir(f); d != "." && !slices.Contains(dirs, d); d = filepath.Dir(d) {
			dirs = append(dirs, d)
		}
	}
	// Deepest first, so a parent can go once its children have.
	slices.SortFunc(dirs, func(a, b string) int {
		return strings.Count(b, string(filepath.Separator)) - strings.Count(a, string(filepath.Separator))
	})
	for _, d := range dirs {
		if p := filepath.Join(dir, d); IsRealDir(p) {
			os.Remove(p) // fails, as it should, when not empty
		}
	}
}

// crossesLink reports whether a directory on the way from dir to rel is a symbolic link
// (removing through it would touch files outside dir).
func crossesLink(dir, rel string) bool { return FirstLink(dir, filepath.Dir(rel)) != "" }

// FirstLink returns the first of the paths on the way from dir to rel (rel relative to
// dir, rel itself included) that is a symbolic link, relative to dir; "" when none is, or
// when the way ends at a name that does not exist. Whoever reads or removes under dir
// asks it so as never to go through a link out of dir (dir itself may be one).
func FirstLink(dir, rel string) string {
	p := ""
	for _, part := range strings.Split(filepath.Clean(rel), string(filepath.Separator)) {
		if part == "." {
			continue
		}
		p = filepath.Join(p, part)
		fi, err := os.Lstat(filepath.Join(dir, p))
		if err != nil {
			return ""
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return p
		}
	}
	return ""
}
