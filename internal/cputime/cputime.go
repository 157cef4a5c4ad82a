// Package cputime reads the CPU time of the running process, for the benchmarks that
// report CPU per path beside wall time: on a shared machine it moves much less with other
// work than wall time does.
package cputime

import (
	"syscall"
	"time"
)

// Process returns the CPU time (user and system, every thread) this process has used so
// far, or 0 where the system cannot say.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
