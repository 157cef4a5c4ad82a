package run

import (
	"bytes"
	"context"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/sim"
)

// FuzzDecodeCheckpoint feeds arbitrary bytes to the checkpoint decoder, seeded with a real
// checkpoint: it must never panic and never accept bytes other than those written (the
// CRC and the exact layout leave a flipped byte no way through).
func FuzzDecodeCheckpoint(f *testing.F) {
	cfg := configs.Baseline()
	cfg.Policies = []string{"none", "spv"}
	cfg.Days = 5
	l := newLayout(cfg.Policies, cfg.Days)
	const paths = 20
	m, err := sim.NewModel(cfg)
	if err != nil {
		f.Fatal(err)
	}
	ct := newChunkTally(l, 1, sim.Blocks(paths))
	rows := make([]sim.Result, paths*len(cfg.Policies))
	s := &sim.Sampler{Model: m, Policies: cfg.Policies, Workers: 1, Seed: 1}
	if err := s.Run(context.Background(), 0, paths, func(w, b int, res []sim.Result, days [][]float64) {
		copy(rows[int(res[0].Path)*len(cfg.Policies):], res)
		ct.visit(w, b, res, days, true)
	}); err != nil {
		f.Fatal(err)
	}
	good := foldChunk(ct, rows, testIdentity(0), paths, nil)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("BACKSTOP-TALLY-1"))
	f.Add([]byte("BACKSTOP-TALLY-3\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, id, err := decodeTally(data, l, paths)
		if err == nil && !bytes.Equal(data, good) {
			t.Fatalf("accepted %d bytes that are not the checkpoint written (identity %+v)", len(data), id)
		}
	})
}
