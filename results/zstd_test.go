package results

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// pageInputs are pages of the kinds the writers compress, and the edges: empty, one byte,
// short, several of zstd's 128 KiB blocks, a column's floats with a path's value repeated
// under each policy, zeros, bytes that do not compress.
func pageInputs() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	floats := func(n, repeat int) []byte {
		var b []byte
		for len(b) < 8*n {
			v := 1000.0 // a cap on a fifth of the rows, spread below it otherwise
			if r.IntN(5) > 0 {
				v = 1000 * math.Exp(-math.Abs(r.NormFloat64()))
			}
			for range repeat {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			}
		}
		return b[:8*n]
	}
	uniform := make([]byte, 200<<10)
	for i := range uniform {
		uniform[i] = byte(r.Uint32())
	}
	return map[string][]byte{
		"empty":            {},
		"one byte":         {7},
		"short":            floats(100, 1),
		"several blocks":   floats(40000, 1),
		"values repeated":  floats(32768, 3),
		"zeros":            make([]byte, 300<<10),
		"uniform bytes":    uniform,
		"a page and a bit": floats(32768+1, 1),
	}
}

// pageCodec returns the zstd codec the writers use and a decoder as arrow's, closed when
// the test ends.
func pageCodec(t *testing.T) (compress.Codec, *zstd.Decoder) {
	t.Helper()
	codec, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dec.Close)
	return codec, dec
}

// TestPageCodecRoundTrips checks that every page the codec writes is one zstd frame with a
// content checksum that decodes to the page, with the decoder arrow reads with and with
// the reference zstd tool (the C library DuckDB, arrow-rs and Polars decode with), and
// fits in the bound the writer sizes its buffer by.
func TestPageCodecRoundTrips(t *testing.T) {
	codec, dec := pageCodec(t)
	tool, toolErr := exec.LookPath("zstd")
	if toolErr != nil && os.Getenv("CI") != "" {
		t.Fatal("the zstd tool is not installed (.ci/run installs it)")
	}
	dir := t.TempDir()
	for name, src := range pageInputs() {
		bound := codec.CompressBound(int64(len(src)))
		frame := codec.EncodeLevel(make([]byte, 0, bound), src, compress.DefaultCompressionLevel)
		if int64(len(frame)) > bound {
			t.Errorf("%s: %d bytes written, beyond the bound %d", name, len(frame), bound)
		}
		var h zstd.Header
		// (the pure-Go encoder writes an empty page's frame without a checksum)
		if err := h.Decode(frame); err != nil || (!h.HasCheckSum && len(src) > 0) || (h.HasFCS && h.FrameContentSize != uint64(len(src))) {
			t.Errorf("%s: frame header %+v (%v): want a checksum (and the content size %d, if any)", name, h, err, len(src))
		}
		got, err := dec.DecodeAll(frame, nil)
		if err != nil || !bytes.Equal(got, src) {
			t.Errorf("%s: decoded %d bytes (%v), not the %d written", name, len(got), err, len(src))
		}
		if toolErr != nil {
			continue
		}
		path := filepath.Join(dir, "page.zst")
		if err := os.WriteFile(path, frame, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tool, "-q", "-d", "-c", path).Output()
		if err != nil || !bytes.Equal(out, src) {
			t.Errorf("%s: zstd -d gave %d bytes (%v), not the %d written", name, len(out), err, len(src))
		}
	}
}

// TestPageCodecChecksum checks that a damaged page is an error, not other values: a bit
// flipped in the compressed data, or in the checksum itself.
func TestPageCodecChecksum(t *testing.T) {
	codec, dec := pageCodec(t)
	for _, name := range []string{"several blocks", "values repeated"} {
		src := pageInputs()[name]
		frame := codec.Encode(nil, src)
		for _, at := range []int{len(frame) / 3, len(frame) / 2, len(frame) - 8, len(frame) - 1} {
			bad := bytes.Clone(frame)
			bad[at] ^= 0x10
			if got, err := dec.DecodeAll(bad, nil); err == nil {
				t.Errorf("%s: a bit flipped at byte %d of %d decoded without an error (to the same bytes: %v)", name, at, len(frame), bytes.Equal(got, src))
			}
		}
	}
}

// TestPageCodecIsDeterministic checks that a page's bytes depend on the page alone, not on
// the pages written before it or on which goroutine writes it: resumed and sharded runs
// write the same files.
func TestPageCodecIsDeterministic(t *testing.T) {
	codec, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		t.Fatal(err)
	}
	in := pageInputs()
	first := codec.Encode(nil, in["several blocks"])
	_ = codec.Encode(nil, in["values repeated"])
	done := make(chan []byte)
	go func() { done <- codec.Encode(nil, in["several blocks"]) }()
	if again := <-done; !bytes.Equal(first, again) {
		t.Errorf("the same page written twice gave %d and %d bytes that differ", len(first), len(again))
	}
}

// BenchmarkPageCodec measures the codec on a part's float column: a cap on some rows,
// spread values elsewhere.
func BenchmarkPageCodec(b *testing.B) {
	codec, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		b.Fatal(err)
	}
	src := pageInputs()["several blocks"]
	dst := make([]byte, 0, codec.CompressBound(int64(len(src))))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst = codec.Encode(dst, src)
	}
	b.ReportMetric(float64(len(dst))/float64(len(src)), "ratio")
}
