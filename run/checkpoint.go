package run

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"

	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// TalliesDir holds one checkpoint per finished chunk: the chunk's band sketches, sums and
// moments, so an interrupted run resumes, and shards merge, without re-reading the paths.
const TalliesDir = "tallies"

// checkpointMagic starts every checkpoint file; the digit is the format version. Version 2
// encodes sketches as backstop's own integer bins (version 1 used DDSketch's encoding), so
// a run begun by an older backstop cannot be resumed by this one.
var checkpointMagic = []byte("BACKSTOP-TALLY-2")

// checkpointFamily is checkpointMagic without its version digit.
var checkpointFamily = checkpointMagic[:len(checkpointMagic)-1]

// CheckpointName is the file name of chunk c's checkpoint under TalliesDir.
func CheckpointName(c int) string { return fmt.Sprintf("chunk-%05d.bin", c) }

// foldChunk folds chunk's tallies (see chunkTally.fold) into its checkpoint, and merges
// them into running unless it is nil, group by group: the chunk's sketches never exist all
// at once. The checkpoint is the exact encoding of the chunk's Tally: magic, chunk index,
// path count, the Distributions (as stats.Distributions.AppendBinary), the moments, the
// paired comparisons, and a CRC-32 of all that.
func foldChunk(c *chunkTally, rows []sim.Result, chunk, paths int, running *Tally) []byte {
	b := appendCheckpointHeader(nil, chunk, paths)
	b = binary.AppendUvarint(b, uint64(c.l.groups())) // as Distributions.AppendBinary
	moments, paired := c.fold(paths, rows, func(g int, sum float64, sk *stats.Sketch) {
		b = binary.AppendVarint(b, int64(paths))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(sum))
		b = sk.AppendBinary(b)
		if running != nil {
			running.Dist.MergeGroup(g, sk, sum, int64(paths))
		}
	})
	if running != nil {
		running.mergeMoments(moments, paired)
	}
	return appendCheckpointTail(b, moments, paired)
}

func appendCheckpointHeader(b []byte, chunk, paths int) []byte {
	b = append(b, checkpointMagic...)
	b = binary.AppendUvarint(b, uint64(chunk))
	return binary.AppendUvarint(b, uint64(paths))
}

// appendCheckpointTail appends the moments and paired comparisons, then the CRC-32 of
// everything before.
func appendCheckpointTail(b []byte, moments []stats.Moments, paired []stats.PairedAccumulator) []byte {
	b = binary.AppendUvarint(b, uint64(len(moments)))
	for _, m := range moments {
		b = m.AppendBinary(b)
	}
	b = binary.AppendUvarint(b, uint64(len(paired)))
	for _, p := range paired {
		b = p.AppendBinary(b)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// decodeTally reads a checkpoint written by foldChunk and checks that it is chunk's,
// with paths paths, laid out as l.
func decodeTally(b []byte, l layout, chunk, paths int) (*Tally, error) {
	if len(b) < len(checkpointMagic)+4 || !bytes.HasPrefix(b, checkpointMagic) {
		if bytes.HasPrefix(b, checkpointFamily) && len(b) > len(checkpointFamily) {
			return nil, fmt.Errorf("written by another version of backstop (checkpoint format %c, this one reads %c); start the run over with --force",
				b[len(checkpointFamily)], checkpointMagic[len(checkpointFamily)])
		}
		return nil, errors.New("not a backstop tally checkpoint")
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("checksum mismatch (the file is damaged)")
	}
	b = body[len(checkpointMagic):]
	c, k := binary.Uvarint(b)
	if k <= 0 || int(c) != chunk {
		return nil, fmt.Errorf("holds chunk %d, want %d", c, chunk)
	}
	b = b[k:]
	n, k := binary.Uvarint(b)
	if k <= 0 || int(n) != paths {
		return nil, fmt.Errorf("holds %d paths, want %d", n, paths)
	}
	dist, b, err := stats.DecodeDistributions(b[k:])
	if err != nil {
		return nil, err
	}
	if len(dist.Sums) != l.groups() {
		return nil, fmt.Errorf("holds %d groups, want %d (another layout)", len(dist.Sums), l.groups())
	}
	nm, k := binary.Uvarint(b)
	if k <= 0 || int(nm) != l.policies*sim.NumMetrics {
		return nil, fmt.Errorf("holds %d moments, want %d", nm, l.policies*sim.NumMetrics)
	}
	b = b[k:]
	t := &Tally{Dist: dist, Moments: make([]stats.Moments, nm)}
	for i := range t.Moments {
		if t.Moments[i], b, err = stats.DecodeMoments(b); err != nil {
			return nil, err
		}
	}
	np, k := binary.Uvarint(b)
	if k <= 0 || int(np) != len(l.pairs)*len(results.SummaryMetrics) {
		return nil, fmt.Errorf("holds %d paired comparisons, want %d", np, len(l.pairs)*len(results.SummaryMetrics))
	}
	b = b[k:]
	t.Paired = make([]stats.PairedAccumulator, np)
	for i := range t.Paired {
		if t.Paired[i], b, err = stats.DecodePairedAccumulator(b); err != nil {
			return nil, err
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%d trailing bytes", len(b))
	}
	return t, nil
}

// writeCheckpoint writes chunk's tally atomically under dir/TalliesDir.
func writeCheckpoint(dir string, data []byte, chunk int) error {
	return atomicfile.Write(filepath.Join(dir, TalliesDir, CheckpointName(chunk)), func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// readCheckpoint reads chunk's tally from dir/TalliesDir.
func readCheckpoint(dir string, l layout, chunk, paths int) (*Tally, error) {
	path := filepath.Join(dir, TalliesDir, CheckpointName(chunk))
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := decodeTally(data, l, chunk, paths)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return t, nil
}
