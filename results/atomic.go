package results

import (
	"os"

	"github.com/backstop-research/backstop/internal/atomicfile"
)

// writeAtomic writes path so that a reader never sees a partial file (see atomicfile).
func writeAtomic(path string, write func(f *os.File) error) error {
	return atomicfile.Write(path, write)
}
