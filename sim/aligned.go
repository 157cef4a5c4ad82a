package sim

import "unsafe"

// cacheLine is the size of a cache line, the alignment of the vector kernels' state.
const cacheLine = 64

// newAligned returns a new zero T whose address is a multiple of cacheLine, so that a
// 64-byte vector load or store of a [lanes]float64 (or [16]uint32) field at an offset that
// is a multiple of 64 stays within one cache line: one that straddles two takes the CPU
// two accesses, and the lanes' state is stored by one kernel and loaded by the next many
// times a day. Go aligns a value to 8 bytes at most, and a heap object with pointers
// larger than 512 bytes starts 8 bytes into its slot (the laneGroup's fields were 8 to 48
// bytes past a line, the ziggurat's tables 32), so the memory comes from a byte slice,
// which holds no pointers: T must hold none either.
func newAligned[T any]() *T {
	return &newAlignedSlice[T](1)[0]
}

// newAlignedSlice is newAligned for n values of T side by side: a slice of length n whose
// first element's address is a multiple of cacheLine.
func newAlignedSlice[T any](n int) []T {
	var zero T
	buf := make([]byte, uintptr(n)*unsafe.Sizeof(zero)+cacheLine-1)
	off := -uintptr(unsafe.Pointer(unsafe.SliceData(buf))) & (cacheLine - 1)
	return unsafe.Slice((*T)(unsafe.Pointer(&buf[off])), n)
}
