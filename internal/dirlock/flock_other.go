//go:build !unix

package dirlock

import (
	"errors"
	"os"
)

// Without flock the lock is not enforced: one writer per directory is then up to the user.
var errWouldBlock = errors.New("would block")

func flock(*os.File, bool) error { return nil }

func funlock(*os.File) {}

func unsupported(error) bool { return false }
