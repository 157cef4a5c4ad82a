// Package regular opens the files backstop reads back (manifests, parts, checkpoints,
// tables) only when they are regular files: a named pipe or a device left where one of
// ours was (by a careless or hostile hand, or a link to /dev/zero) makes the read fail at
// once, naming the file, instead of blocking forever or reading without end.
package regular

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// Open opens path (following a symbolic link) for reading, or returns an error saying
// what it is when it is not a regular file. The open itself does not block, a named
// pipe's included.
func Open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file (%s), so not read", path, describe(fi.Mode()))
	}
	return f, nil
}

// ReadFile reads the whole of path as os.ReadFile does, when it is a regular file (see
// Open).
func ReadFile(path string) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// describe names the kind of file mode is, for a message.
func describe(mode os.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&os.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&os.ModeSocket != 0:
		return "a socket"
	case mode&os.ModeDevice != 0:
		return "a device"
	}
	return "mode " + mode.String()
}
