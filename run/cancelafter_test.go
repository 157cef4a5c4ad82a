package run

import (
	"context"
	"sync/atomic"
)

// cancelAfter is a context whose Err reports cancellation from its (n+1)th call on: a run
// asks once per chunk, so it stops after n chunks, and n = chunks cancels it in its finish
// phase, deterministically.
type cancelAfter struct {
	context.Context
	calls atomic.Int64
	n     int64
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(1) > c.n {
		return context.Canceled
	}
	return nil
}

// CancelAfter returns a cancelAfter of n, for the tests outside the package (run_test).
func CancelAfter(n int64) context.Context {
	return &cancelAfter{Context: context.Background(), n: n}
}
