package run

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/backstop-research/backstop/internal/atomicfile"
	"github.com/backstop-research/backstop/internal/avxstate"
	"github.com/backstop-research/backstop/internal/regular"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// TalliesDir holds one checkpoint per finished chunk: the chunk's band sketches, sums and
// moments, so an interrupted run resumes, and shards merge, without re-reading the paths.
const TalliesDir = results.TalliesDir

// checkpointMagic starts every checkpoint file; the digit is the format version. Version 2
// encoded sketches as backstop's own integer bins (version 1 used DDSketch's encoding);
// version 3 adds the run's identity. A run begun by an older backstop cannot be resumed
// by this one.
var checkpointMagic = []byte("BACKSTOP-TALLY-3")

// checkpointFamily is checkpointMagic without its version digit.
var checkpointFamily = checkpointMagic[:len(checkpointMagic)-1]

// maxIDString bounds a string of a checkpoint's identity.
const maxIDString = 256

// CheckpointName is the file name of chunk c's checkpoint under TalliesDir.
func CheckpointName(c int) string { return fmt.Sprintf("chunk-%05d.bin", c) }

// foldChunk folds chunk's tallies (see chunkTally.foldRuns) into its checkpoint, and
// merges them into running unless it is nil, group by group, on as many goroutines as
// sampled the chunk: the chunk's sketches never exist all at once. The checkpoint is the
// exact encoding of the chunk's Tally: magic, chunk index, identity (run id, config hash,
// seed, chunk size, version), path count, the Distributions (as
// stats.Distributions.AppendBinary), the moments, the paired comparisons, and a CRC-32 of
// all that.
func foldChunk(c *chunkTally, rows []sim.Result, id results.Identity, paths int, running *Tally) []byte {
	b := appendCheckpointHeader(nil, id, paths)
	b = binary.AppendUvarint(b, uint64(c.l.groups())) // as Distributions.AppendBinary
	// The runs of groups are folded on as many goroutines as the chunk was sampled on,
	// each run's groups encoded apart, then joined in run order: the groups in order.
	var runs [foldRunCount][]byte
	moments, paired := c.foldRuns(rows, len(c.workers), func(r, g int, sum float64, sk *stats.Sketch) {
		e := runs[r]
		e = binary.AppendVarint(e, int64(paths))
		e = binary.LittleEndian.AppendUint64(e, math.Float64bits(sum))
		runs[r] = sk.AppendBinary(e)
		if running != nil { // group g's own sketch, sum and count
			running.Dist.MergeGroup(g, sk, sum, int64(paths))
		}
	})
	n := 0
	for _, e := range runs {
		n += len(e)
	}
	b = slices.Grow(b, n)
	for _, e := range runs {
		b = append(b, e...)
	}
	if running != nil {
		running.mergeMoments(moments, paired)
	}
	return appendCheckpointTail(b, moments, paired)
}

func appendCheckpointHeader(b []byte, id results.Identity, paths int) []byte {
	b = append(b, checkpointMagic...)
	b = binary.AppendUvarint(b, uint64(id.Chunk))
	for _, s := range []string{id.RunID, id.ConfigSHA256, id.Version} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, id.Seed)
	b = binary.AppendUvarint(b, uint64(id.ChunkSize))
	return binary.AppendUvarint(b, uint64(paths))
}

// decodeCheckpointHeader reads what appendCheckpointHeader wrote and returns the rest.
func decodeCheckpointHeader(b []byte) (id results.Identity, paths int, rest []byte, err error) {
	uv := func(what string) uint64 {
		if err != nil {
			return 0
		}
		x, k := binary.Uvarint(b)
		if k <= 0 {
			err = fmt.Errorf("truncated %s", what)
			return 0
		}
		b = b[k:]
		return x
	}
	str := func(what string) string {
		n := uv(what)
		if err != nil {
			return ""
		}
		if n > maxIDString || n > uint64(len(b)) {
			err = fmt.Errorf("%s of %d bytes", what, n)
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	chunk := uv("chunk")
	id.RunID, id.ConfigSHA256, id.Version = str("run id"), str("config hash"), str("version")
	id.Seed = uv("seed")
	size, n := uv("chunk size"), uv("path count")
	if err != nil {
		return id, 0, nil, err
	}
	if chunk > results.MaxChunks || size > math.MaxInt32 || n > math.MaxInt32 {
		return id, 0, nil, fmt.Errorf("chunk %d of %d paths, %d in this chunk: out of range", chunk, size, n)
	}
	id.Chunk, id.ChunkSize = int(chunk), int(size)
	return id, int(n), b, nil
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

// decodeTally reads a checkpoint written by foldChunk, checks that it holds paths paths
// laid out as l, and returns it with the identity it records (for the caller to check).
// Damaged or crafted input gives an error, never a panic.
func decodeTally(b []byte, l layout, paths int) (t *Tally, id results.Identity, err error) {
	defer func() { // the decoders below check their input; this is a last resort
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("undecodable (%v)", r)
		}
	}()
	if len(b) < len(checkpointMagic)+4 || !bytes.HasPrefix(b, checkpointMagic) {
		if bytes.HasPrefix(b, checkpointFamily) && len(b) > len(checkpointFamily) {
			return nil, id, fmt.Errorf("written by another version of backstop (checkpoint format %c, this one reads %c); recompute its chunk (see backstop verify) or start the run over with --force",
				b[len(checkpointFamily)], checkpointMagic[len(checkpointFamily)])
		}
		return nil, id, errors.New("not a backstop tally checkpoint")
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, id, errors.New("checksum mismatch (the file is damaged)")
	}
	id, n, b, err := decodeCheckpointHeader(body[len(checkpointMagic):])
	if err != nil {
		return nil, id, err
	}
	if n != paths {
		return nil, id, fmt.Errorf("holds %d paths, want %d", n, paths)
	}
	dist, b, err := stats.DecodeDistributions(b)
	if err != nil {
		return nil, id, err
	}
	if len(dist.Sums) != l.groups() {
		return nil, id, fmt.Errorf("holds %d groups, want %d (another layout)", len(dist.Sums), l.groups())
	}
	nm, k := binary.Uvarint(b)
	if k <= 0 || int(nm) != l.policies*sim.NumMetrics {
		return nil, id, fmt.Errorf("holds %d moments, want %d", nm, l.policies*sim.NumMetrics)
	}
	b = b[k:]
	t = &Tally{Dist: dist, Moments: make([]stats.Moments, nm)}
	for i := range t.Moments {
		if t.Moments[i], b, err = stats.DecodeMoments(b); err != nil {
			return nil, id, err
		}
	}
	np, k := binary.Uvarint(b)
	if k <= 0 || int(np) != len(l.pairs)*len(results.SummaryMetrics) {
		return nil, id, fmt.Errorf("holds %d paired comparisons, want %d", np, len(l.pairs)*len(results.SummaryMetrics))
	}
	b = b[k:]
	t.Paired = make([]stats.PairedAccumulator, np)
	for i := range t.Paired {
		if t.Paired[i], b, err = stats.DecodePairedAccumulator(b); err != nil {
			return nil, id, err
		}
	}
	if len(b) != 0 {
		return nil, id, fmt.Errorf("%d trailing bytes", len(b))
	}
	return t, id, nil
}

// writeCheckpoint writes chunk's tally atomically under dir/TalliesDir and returns the hex
// SHA-256 of data.
func writeCheckpoint(dir string, data []byte, chunk int) (string, error) {
	avxstate.Clear() // SHA-256's instructions are legacy SSE
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), atomicfile.Write(filepath.Join(dir, TalliesDir, CheckpointName(chunk)), func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// readCheckpoint reads chunk's tally from dir/TalliesDir and checks that its identity is
// want's (the version only when !allowVersion).
func readCheckpoint(dir string, l layout, want results.Identity, paths int, allowVersion bool) (*Tally, error) {
	path := filepath.Join(dir, TalliesDir, CheckpointName(want.Chunk))
	data, err := regular.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, got, err := decodeTally(data, l, paths)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if d := want.Mismatch(got, allowVersion); d != "" {
		return nil, fmt.Errorf("checkpoint %s belongs to another run: %s", path, d)
	}
	return t, nil
}
