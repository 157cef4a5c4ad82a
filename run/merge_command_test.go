package run

import (
	"errors"
	"testing"
)

// TestShardCommand checks the command merge shows for a missing shard: the recorded
// command of another shard with its --shard replaced, or added.
func TestShardCommand(t *testing.T) {
	tests := []struct{ recorded, want string }{
		{"backstop run --shard 2/4 --paths 8000 --out d", "backstop run --shard 1/4 --paths 8000 --out d"},
		{"backstop run --paths 8000 --shard=2/4 --out d", "backstop run --paths 8000 --shard 1/4 --out d"},
		{"backstop run -shard 2/4 --out d", "backstop run --shard 1/4 --out d"},
		{"backstop run --shards 4 --out d", "backstop run --shards 4 --out d --shard 1/4"},
		{"", "backstop run --shard 1/4 --out d with the other shards' config, --paths, --seed and --chunk-size"},
		// shards copied elsewhere: the directory merged now, not the one recorded
		{"backstop run --shard 2/4 --out orig --paths 8000", "backstop run --shard 1/4 --out d --paths 8000"},
		{"backstop run --out=orig --shard 2/4", "backstop run --out d --shard 1/4"},
	}
	for _, tc := range tests {
		if got := shardCommand(tc.recorded, "d", 1, 4); got != tc.want {
			t.Errorf("shardCommand(%q) = %q, want %q", tc.recorded, got, tc.want)
		}
	}
}

// MergeInterrupted, the error of every interrupted merge, wraps ErrInterrupted (exit
// status 130) and names the merge to run again, its directory quoted for a shell.
func TestMergeInterrupted(t *testing.T) {
	for _, tc := range []struct{ dir, want string }{
		{"out/run", "interrupted before the merge finished; the shards are not changed: merge again with backstop merge out/run"},
		{"my runs/a", "interrupted before the merge finished; the shards are not changed: merge again with backstop merge 'my runs/a'"},
	} {
		err := MergeInterrupted(tc.dir)
		if !errors.Is(err, ErrInterrupted) || err.Error() != tc.want {
			t.Errorf("MergeInterrupted(%q) = %v; want %q wrapping ErrInterrupted", tc.dir, err, tc.want)
		}
	}
}
