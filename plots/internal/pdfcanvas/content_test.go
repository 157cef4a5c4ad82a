package pdfcanvas

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"
)

// pageContent returns the decompressed content stream of the page of the one-page PDF doc.
func pageContent(t *testing.T, doc []byte) string {
	t.Helper()
	contents := regexp.MustCompile(`/Contents (\d+) 0 R`).FindSubmatch(doc)
	if contents == nil {
		t.Fatal("the PDF has no page contents")
	}
	obj := regexp.MustCompile(`(?s)\n` + string(contents[1]) + ` 0 obj\s*<<[^>]*>>\s*stream\r?\n`).FindIndex(doc)
	if obj == nil {
		t.Fatalf("the PDF lacks object %s", contents[1])
	}
	zr, err := zlib.NewReader(bytes.NewReader(doc[obj[1]:]))
	if err != nil {
		t.Fatalf("content stream: %v", err)
	}
	content, err := io.ReadAll(zr)
	if err != nil && len(content) == 0 {
		t.Fatalf("content stream: %v", err)
	}
	return string(content)
}

// paint is what a content stream paints and with what: the operator (f, S or Tj) and
// the fill and stroke color operators, opacity, line width and dash in force.
type paint struct {
	op                   string
	fill, stroke, opaque string
	width, dash          string
}

// painted runs the graphics-state part of a content stream, as a viewer does (q saves
// the state, Q restores it), and returns what each painting operator paints with. The
// opacity is the ExtGState's /ca, resolved through doc's resources. Text strings are
// skipped whole.
func painted(t *testing.T, doc []byte) []paint {
	t.Helper()
	alphas := map[string]string{} // GS name -> its /ca
	objCA := map[string]string{}
	for _, m := range regexp.MustCompile(`(\d+) 0 obj\s*<</Type /ExtGState /ca ([0-9.]+)`).FindAllSubmatch(doc, -1) {
		objCA[string(m[1])] = string(m[2])
	}
	for _, m := range regexp.MustCompile(`/(GS\d+) (\d+) 0 R`).FindAllSubmatch(doc, -1) {
		alphas[string(m[1])] = objCA[string(m[2])]
	}
	state := paint{fill: "0 g", stroke: "0 G", opaque: "1", width: "1", dash: "[] 0 d"} // PDF's initial state
	var stack []paint
	var out []paint
	var operands []string
	content := pageContent(t, doc)
	for i := 0; i < len(content); {
		switch c := content[i]; {
		case c == ' ' || c == '\n' || c == '\r':
			i++
			continue
		case c == '(': // a string, with nested parentheses and escapes
			depth, j := 0, i
			for ; j < len(content); j++ {
				if content[j] == '\\' {
					j++
				} else if content[j] == '(' {
					depth++
				} else if content[j] == ')' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			operands = append(operands, content[i:j+1])
			i = j + 1
			continue
		}
		j := i
		for j < len(content) && !strings.ContainsRune(" \n\r(", rune(content[j])) {
			j++
		}
		tok := content[i:j]
		i = j
		if c := tok[0]; c == '/' || c == '[' || c == '-' || c == '.' || c >= '0' && c <= '9' || strings.HasSuffix(tok, "]") {
			operands = append(operands, tok)
			continue
		}
		line := strings.Join(append(operands, tok), " ")
		switch tok {
		case "q":
			stack = append(stack, state)
		case "Q":
			if len(stack) == 0 {
				t.Fatalf("Q without q in\n%s", content)
			}
			state, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case "g", "rg":
			state.fill = line
		case "G", "RG":
			state.stroke = line
		case "gs":
			a, ok := alphas[strings.TrimPrefix(operands[0], "/")]
			if !ok {
				t.Fatalf("%s names no ExtGState of the PDF", line)
			}
			state.opaque = strings.TrimSuffix(strings.TrimRight(a, "0"), ".") // 0.350 as 0.35, 1.000 as 1
		case "w":
			state.width = operands[0]
		case "d":
			state.dash = line
		case "f", "S", "Tj":
			p := state
			p.op = tok
			out = append(out, p)
		}
		operands = operands[:0]
	}
	return out
}

// count is the number of lines of content that end in op.
func count(content, op string) int {
	n := 0
	for _, line := range strings.Split(content, "\n") {
		if line == op || strings.HasSuffix(line, " "+op) {
			n++
		}
	}
	return n
}
