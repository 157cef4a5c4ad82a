package run

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/backstop-research/backstop/configs"
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sim"
	"github.com/backstop-research/backstop/stats"
)

// TestFoldChunkEqualsTally checks the streaming fold a run uses against the chunk's Tally
// built whole: the same checkpoint bytes, and the same running totals as merging that
// checkpoint read back, for a layout with and without the no-policy run (so with and
// without counters of changes) and over two chunks in a row on the same counters.
func TestFoldChunkEqualsTally(t *testing.T) {
	for _, policies := range [][]string{{"none", "qe", "spv"}, {"spv", "none"}, {"qe", "spv"}} {
		cfg := configs.Baseline()
		cfg.Policies = policies
		m, err := sim.NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		l := newLayout(policies, cfg.Days)
		const paths = 600
		sampler := &sim.Sampler{Model: m, Policies: policies, Workers: 2, Seed: 3}
		// sample fills a fresh or reused tally with chunk c and returns its rows.
		sample := func(ct *chunkTally, c int) []sim.Result {
			rows := make([]sim.Result, paths*len(policies))
			err := sampler.Run(context.Background(), int64(c*paths), paths, func(w, b int, res []sim.Result, days [][]float64) {
				i := int(res[0].Path-int64(c*paths)) * len(policies)
				copy(rows[i:], res)
				ct.visit(w, b, res, days, true)
			})
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		whole, streamed := newChunkTally(l, 2, sim.Blocks(paths)), newChunkTally(l, 2, sim.Blocks(paths))
		wantRunning, running := newTally(l), newTally(l)
		for c := 0; c < 2; c++ {
			rows := sample(whole.reuse(sim.Blocks(paths)), c)
			sample(streamed.reuse(sim.Blocks(paths)), c)
			want := encodeTally(wholeTally(whole, paths, rows), c, paths)
			id := testIdentity(c)
			got := foldChunk(streamed, rows, id, paths, running)
			if !bytes.Equal(got, want) {
				t.Fatalf("%v chunk %d: the streamed checkpoint (%d bytes) differs from the whole tally's (%d bytes)", policies, c, len(got), len(want))
			}
			read, gotID, err := decodeTally(want, l, paths)
			if err != nil {
				t.Fatal(err)
			}
			if gotID != id {
				t.Fatalf("identity read back %+v, written %+v", gotID, id)
			}
			wantRunning.Merge(read)
		}
		if !bytes.Equal(encodeTally(running, 0, paths), encodeTally(wantRunning, 0, paths)) {
			t.Errorf("%v: running totals differ from the checkpoints merged", policies)
		}
	}
}

// wholeTally folds chunk c into a Tally of its own, every group's sketch kept: the
// straightforward fold that foldChunk streams.
func wholeTally(c *chunkTally, paths int, rows []sim.Result) *Tally {
	t := newTally(c.l)
	t.Moments, t.Paired = c.fold(rows, func(g int, sum float64, sk *stats.Sketch) {
		t.Dist.MergeGroup(g, sk, sum, int64(paths))
	})
	return t
}

// TestOlderCheckpointFormat checks that a checkpoint of another format version is named as
// such, with what to do, rather than read as damaged or, worse, misread.
func TestOlderCheckpointFormat(t *testing.T) {
	l := newLayout([]string{"none", "qe"}, 5)
	old := append([]byte("BACKSTOP-TALLY-1"), make([]byte, 40)...)
	_, _, err := decodeTally(old, l, 10)
	if err == nil || !strings.Contains(err.Error(), "checkpoint format 1") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("error %v: want it to name format 1 and --force", err)
	}
	if _, _, err := decodeTally(append([]byte("NOT-A-CHECKPOINT"), make([]byte, 40)...), l, 10); err == nil || strings.Contains(err.Error(), "format") {
		t.Fatalf("a foreign file gave %v", err)
	}
}

// encodeTally returns the checkpoint of a whole Tally, the encoding foldChunk streams.
func encodeTally(t *Tally, chunk, paths int) []byte {
	b := appendCheckpointHeader(nil, testIdentity(chunk), paths)
	b = t.Dist.AppendBinary(b)
	return appendCheckpointTail(b, t.Moments, t.Paired)
}

// testIdentity is the identity the checkpoint tests write for chunk c.
func testIdentity(c int) results.Identity {
	return results.Identity{RunID: "0123456789abcdef", ConfigSHA256: results.ConfigSHA256("scenario: t\n"), Seed: 3, ChunkSize: 600, Chunk: c, Version: "test"}
}
