package run

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestLastCheckpointFailureSaidOnce: when the last chunk's checkpoint cannot be written
// (a full disk), the error the run returns says so once. Its write reports the failure
// on both of its channels; before, detachLast joined the two, and the command printed
// the same line twice ("backstop: write .../chunk-00000.bin: ... no space left on
// device", then the same without "backstop:").
func TestLastCheckpointFailureSaidOnce(t *testing.T) {
	failed := &chunkWrite{tallied: make(chan error, 1), err: make(chan error, 1)}
	cause := fmt.Errorf("write tallies/chunk-00000.bin: %w", syscall.ENOSPC)
	failed.tallied <- cause
	failed.err <- cause
	w := &chunkWriter{j: &job{opt: Options{Shard: ShardSpec{Count: 1}}}, inFlight: failed}
	_, err := w.detachLast()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("detachLast: %v, want the checkpoint's failure", err)
	}
	if n := strings.Count(err.Error(), "no space left on device"); n != 1 {
		t.Errorf("the error says the failure %d times, want once:\n%s", n, err)
	}
}
