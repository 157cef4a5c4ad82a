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
