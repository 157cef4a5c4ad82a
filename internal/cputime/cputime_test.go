package cputime

import "testing"

// TestProcessGrows checks that spinning the CPU shows in Process.
func TestProcessGrows(t *testing.T) {
	before := Process()
	x := 0.0
	for i := 0; i < 50_000_000; i++ {
		x += float64(i % 7)
	}
	if after := Process(); after <= before || x == 0 {
		t.Fatalf("CPU time %v after %v, having spun the CPU", after, before)
	}
}
