package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// writerCommands are the commands that write an output directory, for minutes or a
// night: their stdout and stderr (tables, notes, progress) are a courtesy next to the
// files, so a closed pipe (`| head -1`), a full disk under a redirection or a terminal
// gone under nohup must not stop them (without nohup, a hang-up stops them as Ctrl-C
// does). The other commands only print; a closed pipe ends them quietly by SIGPIPE, as
// the Unix convention for `| head` has it.
var writerCommands = map[string]bool{"run": true, "sweep": true, "explore": true, "calibrate": true, "merge": true, "plot": true}

// isWriterCommand reports whether args name one of the writerCommands.
func isWriterCommand(args []string) bool { return len(args) > 0 && writerCommands[args[0]] }

// ignoreBrokenPipe ignores SIGPIPE when args name a writer command, so that a write to a
// closed stdout or stderr fails with EPIPE instead of killing the process (Go's default
// on file descriptors 1 and 2; see os/signal, "SIGPIPE"). lossyWriter absorbs the error.
func ignoreBrokenPipe(args []string) {
	if isWriterCommand(args) {
		signal.Ignore(syscall.SIGPIPE)
	}
}

// lossyWriter writes to w until a write fails, then drops every later write: each write
// reports success, so that no log line, progress report or table fails a command whose
// files are written, and nothing retries a dead pipe. Safe for concurrent use.
type lossyWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error // the first write error, after which nothing is written
}

func (l *lossyWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		if _, err := l.w.Write(p); err != nil {
			l.err = err
		}
	}
	return len(p), nil
}

// lost is the error that stopped l's writes, nil while they reach w.
func (l *lossyWriter) lost() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// lossyOutput returns stdout and stderr as lossyWriters for a writer command (args[0]),
// else unchanged.
func lossyOutput(args []string, stdout, stderr io.Writer) (io.Writer, io.Writer) {
	if !isWriterCommand(args) {
		return stdout, stderr
	}
	return &lossyWriter{w: stdout}, &lossyWriter{w: stderr}
}

// noteLostStdout says on stderr, once a command has succeeded, that its stdout failed:
// its files are complete, what it printed is not.
func noteLostStdout(stdout, stderr io.Writer) {
	if l, ok := stdout.(*lossyWriter); ok && l.lost() != nil {
		fmt.Fprintf(stderr, "backstop: NOTE: standard output failed (%v), so what it would have shown is missing; the files written are complete\n", l.lost())
	}
}

// fileOf is the file w writes to, through a lossyWriter: what the terminal checks look at.
func fileOf(w io.Writer) (*os.File, bool) {
	if l, ok := w.(*lossyWriter); ok {
		w = l.w
	}
	f, ok := w.(*os.File)
	return f, ok
}

// sayWait is how long a signal's note may wait for stderr.
const sayWait = time.Second

// sayWithin writes s to w, waiting at most sayWait: a signal's note must not hold up the
// stop or the exit when stderr is a full pipe nobody reads (a write blocks there, and
// every later one waits behind it); the note is then lost.
func sayWithin(w io.Writer, s string) {
	done := make(chan struct{})
	go func() {
		io.WriteString(w, s)
		close(done)
	}()
	t := time.NewTimer(sayWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
