//go:build !cgo

package results

import (
	"github.com/klauspost/compress/zstd"
)

// ZstdEncoder names the zstd encoder that writes this build's Parquet pages.
const ZstdEncoder = "klauspost/compress (pure Go), fastest level"

// pageEncoder is one encoder for every goroutine (EncodeAll is safe for concurrent use):
// arrow's own codec built a new encoder, with megabytes of match history, for every page.
var pageEncoder = func() *zstd.Encoder {
	enc, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(1<<20))
	if err != nil {
		panic("results: zstd encoder: " + err.Error())
	}
	return enc
}()

func encodePage(dst, src []byte) []byte { return pageEncoder.EncodeAll(src, dst[:0]) }

func pageBound(n int64) int64 { return int64(pageEncoder.MaxEncodedSize(int(n))) }
