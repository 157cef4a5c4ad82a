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

// AppendBinary appends p's exact encoding to b.
func (p PairedAccumulator) AppendBinary(b []byte) []byte {
	b = p.A.AppendBinary(b)
	b = p.B.AppendBinary(b)
	b = p.D.AppendBinary(b)
	b = binary.AppendUvarint(b, uint64(p.Below))
	return binary.AppendUvarint(b, uint64(p.Above))
}

// DecodePairedAccumulator reads a PairedAccumulator written by AppendBinary from the front
// of b and returns it with the rest of b.
func DecodePairedAccumulator(b []byte) (PairedAccumulator, []byte, error) {
	var p PairedAccumulator
	var err error
	for _, m := range []*Moments{&p.A, &p.B, &p.D} {
		if *m, b, err = DecodeMoments(b); err != nil {
			return PairedAccumulator{}, nil, err
		}
	}
	below, k := binary.Uvarint(b)
	if k <= 0 {
		return PairedAccumulator{}, nil, errors.New("stats: truncated paired accumulator")
	}
	above, k2 := binary.Uvarint(b[k:])
	if k2 <= 0 {
		return PairedAccumulator{}, nil, errors.New("stats: truncated paired accumulator")
	}
	p.Below, p.Above = int(below), int(above)
	return p, b[k+k2:], nil
}
