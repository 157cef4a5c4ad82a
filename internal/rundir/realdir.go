package rundir

import (
	"os"
	"path/filepath"

	"github.com/backstop-research/backstop/internal/atomicfile"
)

// IsRealDir reports whether p is a directory itself: not a symbolic link to one, nor
// anything else, nor missing. Backstop looks into (or removes from) a subdirectory of an
// output directory only when it is one, so as never to reach through a link to files
// outside the output directory (the output directory itself may be a link, so this is
// asked of its subdirectories).
func IsRealDir(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}

// StaleIn lists the temporary files of writes a kill cut short (atomicfile.Stale) in dir
// and in those of its subdirectories subs that are real directories: never through a
// symbolic link, behind which are files backstop did not write (dir itself may be one).
func StaleIn(dir string, subs []string) []string {
	var files []string
	for _, d := range realSubdirs(dir, subs) {
		files = append(files, atomicfile.Stale(d)...)
	}
	return files
}

// RemoveStaleIn removes what StaleIn lists: the temporary files of writes a kill cut
// short in dir and its real subdirectories subs.
func RemoveStaleIn(dir string, subs []string) {
	for _, d := range realSubdirs(dir, subs) {
		atomicfile.RemoveStale(d)
	}
}

// realSubdirs is dir and those of its subdirectories subs that are real directories.
func realSubdirs(dir string, subs []string) []string {
	dirs := []string{dir}
	for _, sub := range subs {
		if p := filepath.Join(dir, sub); IsRealDir(p) {
			dirs = append(dirs, p)
		}
	}
	return dirs
}
