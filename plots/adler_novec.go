//go:build !(goexperiment.simd && amd64)

package plots

// write adds p to the checksum, byte by byte in this build (adler_simd.go has the vector
// form).
func (a *adler) write(p []byte) { a.writeScalar(p) }
