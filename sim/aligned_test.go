package sim

import (
	"testing"
	"unsafe"
)

// TestNewAligned checks that newAligned's values and newAlignedSlice's slices start on a
// cache line and are zero, for types smaller than a line, of a few lines, and larger than
// the heap's small objects.
func TestNewAligned(t *testing.T) {
	check := func(name string, p unsafe.Pointer, size uintptr) {
		t.Helper()
		if at := uintptr(p) % cacheLine; at != 0 {
			t.Fatalf("%s: at %d bytes past a cache line", name, at)
		}
		for i, b := range unsafe.Slice((*byte)(p), size) {
			if b != 0 {
				t.Fatalf("%s: byte %d is %d, want 0", name, i, b)
			}
		}
	}
	for range 50 {
		check("[1]float64", unsafe.Pointer(newAligned[[1]float64]()), 8)
		check("laneTotals", unsafe.Pointer(newAligned[laneTotals]()), unsafe.Sizeof(laneTotals{}))
		check("[5000]float64", unsafe.Pointer(newAligned[[5000]float64]()), 5000*8)
		for _, n := range []int{1, 3, 60} {
			days := newAlignedSlice[laneDay](n)
			if len(days) != n {
				t.Fatalf("%d laneDays: length %d", n, len(days))
			}
			check("[]laneDay", unsafe.Pointer(&days[0]), uintptr(n)*unsafe.Sizeof(laneDay{}))
		}
	}
}
