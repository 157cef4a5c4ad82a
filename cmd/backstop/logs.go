package main

import (
	"bytes"
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// stampWriter prefixes every line written to w with its RFC 3339 time (UTC): stderr in a
// scheduler log, where lines from hours apart must say when they happened. Safe for
// concurrent use; a line written in pieces is stamped once; an empty line stays empty.
type stampWriter struct {
	mu      sync.Mutex
	w       io.Writer
	midLine bool
	now     func() time.Time
}

func newStampWriter(w io.Writer) *stampWriter {
	return &stampWriter{w: w, now: time.Now}
}

func (s *stampWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(p)
	var buf bytes.Buffer
	for len(p) > 0 {
		if !s.midLine && p[0] == '\n' { // an empty line stays empty
			buf.WriteByte('\n')
			p = p[1:]
			continue
		}
		if !s.midLine {
			buf.WriteString(s.now().UTC().Format(time.RFC3339) + " ")
			s.midLine = true
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			buf.Write(p)
			break
		}
		buf.Write(p[:i+1])
		p = p[i+1:]
		s.midLine = false
	}
	if _, err := s.w.Write(buf.Bytes()); err != nil {
		return 0, err
	}
	return n, nil
}

// resumeHintKey holds, in a command's context, the command that finishes it once its
// output directory is known: what the second Ctrl-C prints.
type resumeHintKey struct{}

// withResumeHint returns ctx able to carry a resume hint.
func withResumeHint(ctx context.Context) context.Context {
	return context.WithValue(ctx, resumeHintKey{}, new(atomic.Pointer[string]))
}

// setResumeHint records the command that finishes the run or sweep of ctx.
func setResumeHint(ctx context.Context, cmd string) {
	if h, ok := ctx.Value(resumeHintKey{}).(*atomic.Pointer[string]); ok {
		h.Store(&cmd)
	}
}

// resumeHint is the recorded resume command, "" when none.
func resumeHint(ctx context.Context) string {
	if h, ok := ctx.Value(resumeHintKey{}).(*atomic.Pointer[string]); ok {
		if s := h.Load(); s != nil {
			return *s
		}
	}
	return ""
}

// lastWordsKey holds, in a command's context, what to do before a second signal exits at
// once: a run marks its manifest interrupted, so that it does not stay "running".
type lastWordsKey struct{}

// withLastWords returns ctx able to carry a last-words function.
func withLastWords(ctx context.Context) context.Context {
	return context.WithValue(ctx, lastWordsKey{}, new(atomic.Pointer[func()]))
}

// setLastWords records f as what the second signal runs before exiting.
func setLastWords(ctx context.Context, f func()) {
	if h, ok := ctx.Value(lastWordsKey{}).(*atomic.Pointer[func()]); ok {
		h.Store(&f)
	}
}

// sayLastWords runs the recorded last-words function, if any.
func sayLastWords(ctx context.Context) {
	if h, ok := ctx.Value(lastWordsKey{}).(*atomic.Pointer[func()]); ok {
		if f := h.Load(); f != nil {
			(*f)()
		}
	}
}
