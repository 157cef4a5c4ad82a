package configs

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileBytes bounds a scenario or sweep file: a real one is a few kilobytes, and
// reading /dev/zero must end.
const MaxFileBytes = 1 << 20

// ReadFile reads a scenario or sweep file of at most MaxFileBytes.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{Source: path, Msg: fmt.Sprintf("larger than %d KB: not a scenario file", MaxFileBytes>>10)}
	}
	return data, nil
}

// ParseDocument parses data (named source in errors) as exactly one YAML document and
// returns its node (Kind 0 when the file is empty). A second document is refused rather
// than silently ignored, and so are numbers YAML readers disagree on (see CheckNumber).
func ParseDocument(data []byte, source string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{Source: source, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		line := 0
		if err == nil {
			line = next.Line
		}
		return nil, &Error{Source: source, Line: line, Msg: "holds more than one YAML document (a second '---'); put one scenario in a file"}
	}
	if err := checkNumbers(&doc, source); err != nil {
		return nil, err
	}
	return &doc, nil
}

// ambiguousNumber matches plain integers written with a leading zero or in another base:
// YAML 1.1 readers (PyYAML among them) read 010 as 8, YAML 1.2 ones as 10 or 8.
var ambiguousNumber = regexp.MustCompile(`^[-+]?(0[0-9_]+|0[oOxXbB][0-9a-fA-F_]+)$`)

// checkNumbers refuses, anywhere in n, a plain number that ambiguousNumber matches.
func checkNumbers(n *yaml.Node, source string) error {
	if n.Kind == yaml.ScalarNode && n.Style == 0 && (n.Tag == "!!int" || n.Tag == "!!float") && ambiguousNumber.MatchString(n.Value) {
		return &Error{Source: source, Line: n.Line, Msg: fmt.Sprintf("%q is not allowed: YAML readers disagree on numbers with a leading zero or a base prefix (010 is 8 to some, 10 to others); write it in decimal without leading zeros", n.Value)}
	}
	for _, c := range n.Content {
		if err := checkNumbers(c, source); err != nil {
			return err
		}
	}
	return nil
}
