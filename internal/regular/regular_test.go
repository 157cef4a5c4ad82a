package regular

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOpen checks that Open and ReadFile read a regular file (and one behind a symbolic
// link) and refuse, without blocking, a named pipe, a device behind a link and a
// directory, naming what each is.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, make func(path string) error) string {
		path := filepath.Join(dir, name)
		if err := make(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, c := range []struct {
		name, path, want string // want: "" to read "data"
	}{
		{"regular", file, ""},
		{"link to regular", mk("link", func(p string) error { return os.Symlink(file, p) }), ""},
		{"named pipe", mk("fifo", func(p string) error { return syscall.Mkfifo(p, 0o644) }), "not a regular file (a named pipe)"},
		{"link to /dev/zero", mk("zero", func(p string) error { return os.Symlink("/dev/zero", p) }), "not a regular file (a device)"},
		{"directory", mk("dir", func(p string) error { return os.Mkdir(p, 0o755) }), "not a regular file (a directory)"},
		{"missing", filepath.Join(dir, "missing"), "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan struct{})
			var data []byte
			var err error
			go func() { data, err = ReadFile(c.path); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("ReadFile(%s) blocked", c.path)
			}
			switch {
			case c.want == "" && (err != nil || string(data) != "data"):
				t.Errorf("ReadFile = %q, %v; want \"data\"", data, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("ReadFile error = %v, want one saying %q", err, c.want)
			}
		})
	}
}
