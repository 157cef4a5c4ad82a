package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/backstop-research/backstop/internal/shellquote"
)

// parseArgs parses args into fs with flags allowed before, between and after the
// positional arguments (`backstop plot outputs/big --format svg` as well as
// `backstop plot --format svg outputs/big`); a "--" ends the flags. -h, -help or --help
// anywhere prints the command's help on stdout and returns flag.ErrHelp (exit status 0);
// a bad flag is a usageError, its message and the flags on stderr.
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i+1:]...)
			i = len(args)
		case a == "-h" || a == "-help" || a == "--help":
			fs.SetOutput(stdout)
			fs.Usage()
			return flag.ErrHelp
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			positional = append(positional, a)
		}
	}
	fs.SetOutput(stderr)
	if err := fs.Parse(append(flags, append([]string{"--"}, positional...)...)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	return nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// setUsage gives fs a help text: the synopsis lines, an optional note, then the flags.
func setUsage(fs *flag.FlagSet, synopsis, note string) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, "Usage: "+strings.ReplaceAll(strings.TrimSpace(synopsis), "\n", "\n       ")+"\n")
		if note != "" {
			fmt.Fprint(w, "\n"+strings.TrimSpace(note)+"\n")
		}
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nFlags (before or after the arguments):\n")
			fs.PrintDefaults()
		}
	}
}

// commandNames lists the commands of the usage text, in its order.
func commandNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, line := range strings.Split(usage, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "backstop" && strings.HasPrefix(line, "  ") && !seen[f[1]] {
			seen[f[1]] = true
			names = append(names, f[1])
		}
	}
	return names
}

// commandLine renders `backstop <args...>` as a shell would take it back.
func commandLine(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = shellquote.Quote(a)
	}
	return strings.TrimSpace("backstop " + strings.Join(q, " "))
}

// withoutFlag returns args without the flag name (and its value, for a flag that takes
// one): `--out DIR`, `--out=DIR`, `-out DIR`.
func withoutFlag(args []string, name string, takesValue bool) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		n := strings.TrimLeft(a, "-")
		if a != n && (n == name || strings.HasPrefix(n, name+"=")) {
			if n == name && takesValue {
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// freeSibling returns the first of dir-2, dir-3, ... that does not exist.
func freeSibling(dir string) string {
	dir = filepath.Clean(dir)
	for i := 2; ; i++ {
		d := fmt.Sprintf("%s-%d", dir, i)
		if _, err := os.Stat(d); os.IsNotExist(err) {
			return d
		}
	}
}
