package stats

import (
	"encoding/binary"
	"errors"
	"math"
)

// AppendBinary appends m's exact encoding (count, then mean and sum of squared deviations
// as IEEE bits) to b, so a checkpointed accumulator resumes bit for bit.
func (m Moments) AppendBinary(b []byte) []byte {
	b = binary.AppendUvarint(b, uint64(m.n))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.mean))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(m.m2))
}

// DecodeMoments reads Moments written by AppendBinary from the front of b and returns them
// with the rest of b.
func DecodeMoments(b []byte) (Moments, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || len(b) < k+16 || n > math.MaxInt64 {
		return Moments{}, nil, errors.New("stats: truncated moments")
	}
	m := Moments{
		n:    int(n),
		mean: math.Float64frombits(binary.LittleEndian.Uint64(b[k:])),
		m2:   math.Float64frombits(binary.LittleEndian.Uint64(b[k+8:])),
	}
	return m, b[k+16:], nil
}
