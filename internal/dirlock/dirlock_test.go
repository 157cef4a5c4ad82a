package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockRules checks the rules a run directory relies on: one exclusive holder, named
// when another is refused; shared holders side by side but no exclusive one among them;
// and the lock free again once released. (flock locks conflict between two opens of the
// file even within one process, so one test process plays every writer.)
func TestLockRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run", FileName)
	first, err := Exclusive(path)
	if err != nil {
		t.Fatal(err)
	}
	if !Held(path) {
		t.Fatal("Held is false while the lock is held")
	}
	_, err = Exclusive(path)
	var he *HeldError
	if !errors.As(err, &he) || !errors.Is(err, ErrHeld) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d on host", os.Getpid())) {
		t.Fatalf("second exclusive taker got %v, want a HeldError naming this pid", err)
	}
	if _, err := Shared(path); !errors.Is(err, ErrHeld) {
		t.Fatalf("a shared taker beside an exclusive holder got %v", err)
	}
	first.Release()
	if Held(path) {
		t.Fatal("Held is true after release")
	}
	a, err := Shared(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Shared(path)
	if err != nil {
		t.Fatalf("a second shared holder: %v", err)
	}
	if _, err := Exclusive(path); !errors.Is(err, ErrHeld) {
		t.Fatalf("an exclusive taker beside shared holders got %v", err)
	}
	a.Release()
	b.Release()
	c, err := Exclusive(path)
	if err != nil {
		t.Fatalf("exclusive after every release: %v", err)
	}
	c.Release()
}
