package results

import (
	"github.com/apache/arrow-go/v18/parquet/compress"
)

// pageZstd is the zstd codec our Parquet writers use: every page it writes is one ordinary
// zstd frame (RFC 8878) with its content checksum, which any zstd decoder reads; decoding
// is left to arrow's codec. The encoder is the build's (ZstdEncoder): the reference C
// library where the build has cgo (zstd_cgo.go), the pure-Go one otherwise
// (zstd_purego.go). Their bytes differ, the values they hold do not.
type pageZstd struct {
	compress.Codec
}

// Encode compresses src into one frame, reusing dst's memory where it is large enough.
func (pageZstd) Encode(dst, src []byte) []byte { return encodePage(dst, src) }

// EncodeLevel is Encode: the writers ask for no level.
func (pageZstd) EncodeLevel(dst, src []byte, _ int) []byte { return encodePage(dst, src) }

// CompressBound is the most bytes Encode writes for n bytes, so that the writer's buffer
// is always large enough.
func (pageZstd) CompressBound(n int64) int64 { return pageBound(n) }

func init() {
	base, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		panic("results: arrow has no zstd codec: " + err.Error())
	}
	compress.RegisterCodec(compress.Codecs.Zstd, pageZstd{Codec: base})
}
