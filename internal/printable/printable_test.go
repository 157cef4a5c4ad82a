package printable

import (
	"errors"
	"testing"
)

func TestName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"paths/part-00000.parquet", "paths/part-00000.parquet"},
		{"plain name with spaces.csv", "plain name with spaces.csv"},
		{"Überblick.csv", "Überblick.csv"},
		{"evil\nname", `"evil\nname"`},
		{"tab\there", `"tab\there"`},
		{"\x1b[2Jclear", `"\x1b[2Jclear"`},
		{"cr\r", `"cr\r"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
		{"evil\u202etxt.exe", `"evil\u202etxt.exe"`}, // a right-to-left override reverses what follows on screen
		{"zero\u200bwidth", `"zero\u200bwidth"`},     // an invisible character
		{"no\u00a0break", "no\u00a0break"},           // a space, shown as it is
		{"", ""},
	} {
		if got := Name(c.in); got != c.want {
			t.Errorf("Name(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestLineAndError(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`chunk 0: paths/a "b".parquet is damaged`, `chunk 0: paths/a "b".parquet is damaged`},
		{"open dir/a\nb: no such file", `open dir/a\nb: no such file`},
		{"x\x1b[2Jy", `x\x1b[2Jy`},
		{"a\u202eb", `a\u202eb`},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %s, want %s", c.in, got, c.want)
		}
		if got := Error(errors.New(c.in)); got != c.want {
			t.Errorf("Error(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	if Error(nil) != "" {
		t.Error("Error(nil) is not empty")
	}
}
