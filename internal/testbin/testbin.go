// Package testbin builds the backstop command once per test process, for the tests that
// run the real binary as a user would (interrupts, chaos, rendering). It is for tests only.
package testbin

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// commandPackage is the import path of the backstop command; go build resolves it from
// any directory of the module, so callers need no relative path.
const commandPackage = "github.com/backstop-research/backstop/cmd/backstop"

var (
	once sync.Once
	dir  string // the binary's temporary directory, once made
	path string
	err  error
)

// Backstop returns the path of a backstop binary built for this test process, building it
// on the first call, and fails t when the build fails.
func Backstop(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		var mkErr error
		if dir, mkErr = os.MkdirTemp("", "backstop-bin-"); mkErr != nil {
			err = mkErr
			return
		}
		path = filepath.Join(dir, "backstop")
		if out, buildErr := exec.Command("go", "build", "-o", path, commandPackage).CombinedOutput(); buildErr != nil {
			err = errors.New(string(out))
		}
	})
	if err != nil {
		t.Fatalf("build backstop: %v", err)
	}
	return path
}

// Remove removes the binary Backstop built, if it built one: a test process that uses
// Backstop calls it from TestMain once its tests have run, so that each run of the tests
// does not leave a binary of some 60 MB in the temporary directory.
func Remove() {
	if dir != "" {
		os.RemoveAll(dir)
	}
}
