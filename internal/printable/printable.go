// Package printable shows file names (and the errors that carry them) in verify's
// line-per-problem output: a name holding a newline or another control character would
// break one line into two, or move the cursor, and an invisible formatting character
// (a right-to-left override) would disguise it, so such a name is shown quoted, in Go
// syntax; every other name is shown as it is.
package printable

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name returns name as it is when it holds only printable characters (spaces included),
// else strconv.Quote(name): "a\nb" becomes "\"a\\nb\"", on one line.
func Name(name string) string {
	if plain(name) {
		return name
	}
	return strconv.Quote(name)
}

// Error returns err's message with every control character escaped (a newline as \n), so
// that an error naming such a file stays on one line; nil gives "".
func Error(err error) string {
	if err == nil {
		return ""
	}
	return Line(err.Error())
}

// Line returns s, a line of output that may name files, with any control character
// escaped as Error does.
func Line(s string) string {
	if plain(s) {
		return s
	}
	q := strconv.Quote(s)
	return strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
}

// plain reports whether s is valid UTF-8 of graphic characters and spaces alone: no
// control character, and no invisible formatting one (a right-to-left override, which
// shows what follows reversed, or a zero-width space) either.
func plain(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) }) < 0
}
