package rundir

import "os"

// IsRealDir reports whether p is a directory itself: not a symbolic link to one, nor
// anything else, nor missing. Backstop looks into (or removes from) a subdirectory of an
// output directory only when it is one, so as never to reach through a link to files
// outside the output directory (the output directory itself may be a link, so this is
// asked of its subdirectories).
func IsRealDir(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}
