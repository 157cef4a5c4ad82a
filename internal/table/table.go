// Package table writes aligned text tables for a terminal or a log file.
package table

import (
	"bufio"
	"io"
	"text/tabwriter"
)

// Writer is a text/tabwriter.Writer (cells separated by tabs, columns padded by two
// spaces) whose output reaches the underlying writer in a few large writes when it is
// flushed: a tabwriter writes every cell and every run of padding separately, a thousand
// system calls for a run's summary on an unbuffered os.Stdout, which a terminal over ssh or
// a log file on a network disk pays for one by one.
type Writer struct {
	*tabwriter.Writer
	out *bufio.Writer
}

// New returns a Writer to w with text/tabwriter's flags (0, or tabwriter.AlignRight).
func New(w io.Writer, flags uint) *Writer {
	out := bufio.NewWriter(w)
	return &Writer{Writer: tabwriter.NewWriter(out, 0, 0, 2, ' ', flags), out: out}
}

// Flush aligns and writes the table's pending lines, then hands them to the underlying
// writer.
func (t *Writer) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	return t.out.Flush()
}
