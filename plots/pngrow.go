package plots

// rgbRowScalar writes the RGB bytes of the RGBA pixels of src to dst (len(dst) =
// 3*len(src)/4), leaving out each pixel's alpha: the reference for rgbRow.
func rgbRowScalar(dst, src []byte) {
	for x, j := 0, 0; x+4 <= len(src); x, j = x+4, j+3 {
		dst[j], dst[j+1], dst[j+2] = src[x], src[x+1], src[x+2]
	}
}
