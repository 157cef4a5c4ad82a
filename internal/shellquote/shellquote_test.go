package shellquote

import (
	"fmt"
	"os/exec"
	"testing"
)

// TestQuoteRoundTrips checks, with a real POSIX shell, that each quoted word comes back as
// the one word it was, and that plain names are left as they are.
func TestQuoteRoundTrips(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal("a POSIX sh is needed: ", err)
	}
	for _, tc := range []struct {
		word  string
		plain bool
	}{
		{"outputs/baseline", true},
		{"/tmp/run-1_a.b=c,d:e@f%g+h", true},
		{"my runs/baseline", false},
		{"it's", false},
		{"a'b'c", false},
		{`back\slash`, false},
		{"$HOME", false},
		{"*", false},
		{"run[1]", false},
		{"tab\there", false},
		{"new\nline", false},
		{"~user", false},
		{"", false},
		{"naïve", false},
	} {
		q := Quote(tc.word)
		if (q == tc.word) != tc.plain {
			t.Errorf("Quote(%q) = %q: left as it is = %v, want %v", tc.word, q, q == tc.word, tc.plain)
		}
		out, err := exec.Command(sh, "-c", `printf '%s|' `+q).Output()
		if err != nil {
			t.Fatalf("sh on %q: %v", q, err)
		}
		if got := string(out); got != tc.word+"|" {
			t.Errorf("sh read Quote(%q) = %q back as %q", tc.word, q, got)
		}
	}
}

func ExampleQuote() {
	fmt.Println("backstop run --resume " + Quote("outputs/baseline"))
	fmt.Println("backstop run --resume " + Quote("/home/ana/My Runs/spv"))
	// Output:
	// backstop run --resume outputs/baseline
	// backstop run --resume '/home/ana/My Runs/spv'
}

// TestPath checks that a path beginning with "-" is given "./" (and quoted as Quote
// quotes), and that other paths are as Quote gives them.
func TestPath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"outputs/baseline", "outputs/baseline"},
		{"-d", "./-d"},
		{"--force", "./--force"},
		{"-my runs", "'./-my runs'"},
		{"/tmp/-d", "/tmp/-d"},
		{"a-b", "a-b"},
		{"my runs", "'my runs'"},
	} {
		if got := Path(c.in); got != c.want {
			t.Errorf("Path(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
