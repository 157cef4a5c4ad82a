// Package dirlock keeps two processes from writing one output directory at once: an
// advisory lock (flock) on a lock file inside it, held while the process writes and
// released by the kernel when the process ends, however it ends. The lock file records
// its holder (pid, host, start time) so a refused writer can say who holds it.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FileName is the lock file of a run or sweep directory; hidden, so that readers of the
// directory's data never see it.
const FileName = ".backstop.lock"

// Lock is a held lock; Release gives it up (the process ending does too).
type Lock struct {
	f           *os.File
	path        string
	unsupported bool
}

// Unsupported reports whether the file system holding the lock file has no locks, so
// that the lock guards nothing.
func (l *Lock) Unsupported() bool { return l.unsupported }

// ErrHeld is returned (wrapped, in a *HeldError) when another process holds the lock.
var ErrHeld = errors.New("locked by another process")

// HeldError says which lock is held and by whom.
type HeldError struct {
	Path   string // the lock file
	Holder string // "pid P on host H since T", or "" when unknown
}

func (e *HeldError) Error() string {
	who := e.Holder
	if who == "" {
		who = "another process"
	}
	return fmt.Sprintf("%s is being written by %s (lock %s); wait for it to finish or stop it first", filepath.Dir(e.Path), who, e.Path)
}

// Unwrap makes errors.Is(err, ErrHeld) true.
func (e *HeldError) Unwrap() error { return ErrHeld }

// Exclusive takes the lock file path exclusively, without waiting: nil and a *HeldError
// when another process holds it (shared or exclusive). The holder is recorded in the file.
func Exclusive(path string) (*Lock, error) { return take(path, true) }

// Shared takes path shared: several processes (the shards of one run) may hold it at
// once, while an Exclusive taker is refused.
func Shared(path string) (*Lock, error) { return take(path, false) }

func take(path string, exclusive bool) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := flock(f, exclusive); err != nil {
		if unsupported(err) {
			// Some cluster file systems (Lustre mounted without flock) have no locks: the
			// writer goes on unprotected, as before locks, and the caller says so.
			return &Lock{f: f, path: path, unsupported: true}, nil
		}
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, &HeldError{Path: path, Holder: Holder(path)}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if exclusive { // a shared holder leaves the record to its own exclusive lock
		host, _ := os.Hostname()
		rec := fmt.Sprintf("pid %d on host %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
		if err := f.Truncate(0); err == nil {
			f.WriteAt([]byte(rec), 0)
		}
	}
	return &Lock{f: f, path: path}, nil
}

// Holder returns the holder recorded in the lock file at path ("" when none).
func Holder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 512 {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// Held reports whether a process holds path, shared or exclusive. The probe neither
// creates the file nor changes its record.
func Held(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := flock(f, true); err != nil {
		return errors.Is(err, errWouldBlock)
	}
	funlock(f)
	return false
}

// Path returns the lock file.
func (l *Lock) Path() string { return l.path }

// Release gives the lock up. The lock file stays: removing it would let a waiting process
// lock a file no one else can see.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	if !l.unsupported {
		funlock(l.f)
	}
	l.f.Close()
	l.f = nil
}
