package results

import (
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// Arrow v17's zstd codec builds a new encoder, with megabytes of match history, for every
// Parquet page it compresses: writing one 150,000-row part allocated 740 MB. This codec
// keeps one encoder, whose EncodeAll is safe for concurrent use, at zstd's default level,
// and leaves decoding to arrow's codec. The bytes written are ordinary zstd frames.
type sharedZstd struct {
	compress.Codec
	enc *zstd.Encoder
}

func (c sharedZstd) Encode(dst, src []byte) []byte { return c.enc.EncodeAll(src, dst[:0]) }

func (c sharedZstd) EncodeLevel(dst, src []byte, _ int) []byte {
	return c.enc.EncodeAll(src, dst[:0])
}

func init() {
	base, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		panic("results: arrow has no zstd codec: " + err.Error())
	}
	enc, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(1<<20))
	if err != nil {
		panic("results: zstd encoder: " + err.Error())
	}
	compress.RegisterCodec(compress.Codecs.Zstd, sharedZstd{Codec: base, enc: enc})
}
