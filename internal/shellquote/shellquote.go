// Package shellquote quotes the words of the commands backstop suggests (resume a run,
// merge its shards, verify a directory), so that a directory whose name holds a space or
// a character a shell treats specially pastes back into a POSIX shell as written.
package shellquote

import "strings"

// Quote returns s as one word of a POSIX shell command line: s itself when it is not empty
// and holds only letters, digits and -_./=,:@%+ (no shell reads those specially), else s
// in single quotes, each single quote in it ended, escaped and begun again.
func Quote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=,:@%+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Path returns the file or directory path p as Quote does, as the argument of a
// command: a relative path that begins with "-" gets "./" before it, so that the command
// reads it as a path, not as a flag (backstop verify -d would be refused: "flag provided
// but not defined: -d").
func Path(p string) string {
	if strings.HasPrefix(p, "-") {
		p = "./" + p
	}
	return Quote(p)
}
