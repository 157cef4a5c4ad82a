//go:build !(goexperiment.simd && amd64)

package plots

// rgbRow writes the RGB bytes of the RGBA pixels of src to dst (len(dst) = 3*len(src)/4),
// pixel by pixel in this build (pngrow_simd.go moves 16 pixels at a time).
func rgbRow(dst, src []byte) { rgbRowScalar(dst, src) }
