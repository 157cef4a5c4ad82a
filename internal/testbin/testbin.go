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

// Main runs a test process's tests (m), then removes the binary Backstop built, if it built
// one, and calls each of also, and exits with the tests' code: the TestMain of a package
// that uses Backstop, so that each run of its tests does not leave a binary of some 60 MB
// (or what also removes) in the temporary directory.
func Main(m *testing.M, also ...func()) {
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	for _, f := range also {
		f()
	}
	os.Exit(code)
}
