package sensitivity

import "fmt"

// MaxSobolDims is the number of dimensions [Sobol] supports: the first dimension and the
// first 20 rows of the Joe-Kuo table.
const MaxSobolDims = 1 + len(joeKuo)

// sobolBits is the precision of the sequence: points are multiples of 2^-32.
const sobolBits = 32

// joeKuo holds, for dimensions 2 to 21, the degree s of the primitive polynomial, its
// coefficients a (the interior bits) and the initial direction numbers m_1..m_s, from the
// file new-joe-kuo-6.21201 of S. Joe and F. Y. Kuo, "Constructing Sobol sequences with
// better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654.
var joeKuo = [...]struct {
	s, a int
	m    []uint32
}{
	{1, 0, []uint32{1}},
	{2, 1, []uint32{1, 3}},
	{3, 1, []uint32{1, 3, 1}},
	{3, 2, []uint32{1, 1, 1}},
	{4, 1, []uint32{1, 1, 3, 3}},
	{4, 4, []uint32{1, 3, 5, 13}},
	{5, 2, []uint32{1, 1, 5, 5, 17}},
	{5, 4, []uint32{1, 1, 5, 5, 5}},
	{5, 7, []uint32{1, 1, 7, 11, 19}},
	{5, 11, []uint32{1, 1, 5, 1, 1}},
	{5, 13, []uint32{1, 1, 1, 3, 11}},
	{5, 14, []uint32{1, 3, 5, 5, 31}},
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},
}

// Sobol generates the unscrambled Sobol' sequence (I. M. Sobol', USSR Comput. Math. Math.
// Phys. 7 (1967) 86-112) in Gray-code order (Antonov and Saleev 1979), with the direction
// numbers of Joe and Kuo (2008). Point 0 is the origin; the first 2^m points of each
// coordinate hit every interval [j/2^m, (j+1)/2^m) exactly once.
type Sobol struct {
	v [][sobolBits]uint32 // direction numbers, scaled to 32 bits, per dimension
}

// NewSobol returns the sequence in dim dimensions, 1 <= dim <= MaxSobolDims.
func NewSobol(dim int) (*Sobol, error) {
	if dim < 1 || dim > MaxSobolDims {
		return nil, fmt.Errorf("sobol: %d dimensions; 1 to %d are supported", dim, MaxSobolDims)
	}
	s := &Sobol{v: make([][sobolBits]uint32, dim)}
	for k := 0; k < sobolBits; k++ { // the first dimension: all m_k = 1
		s.v[0][k] = 1 << (sobolBits - 1 - k)
	}
	for j := 1; j < dim; j++ {
		row := joeKuo[j-1]
		v := &s.v[j]
		for k := 0; k < row.s; k++ {
			v[k] = row.m[k] << (sobolBits - 1 - k)
		}
		for k := row.s; k < sobolBits; k++ {
			v[k] = v[k-row.s] ^ (v[k-row.s] >> row.s)
			for l := 1; l < row.s; l++ {
				if (row.a>>(row.s-1-l))&1 == 1 {
					v[k] ^= v[k-l]
				}
			}
		}
	}
	return s, nil
}

// Dim returns the number of dimensions.
func (s *Sobol) Dim() int { return len(s.v) }

// Point writes point i of the sequence (i < 2^32) into dst, which has Dim elements.
func (s *Sobol) Point(i uint64, dst []float64) {
	g := i ^ (i >> 1) // Gray code: point i is the XOR of the direction numbers of g's bits
	for j := range s.v {
		var x uint32
		for b := 0; g>>b != 0 && b < sobolBits; b++ {
			if (g>>b)&1 == 1 {
				x ^= s.v[j][b]
			}
		}
		dst[j] = float64(x) / (1 << sobolBits)
	}
}
