package run

import "testing"

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
