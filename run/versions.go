package run

import (
	"fmt"

	"github.com/backstop-research/backstop/results"
)

// versionWays is how to go on from the refusal to resume the run (or shard) in dir begun
// by another version of backstop (results.VersionChangeError): resume anyway with
// --allow-version-change, or start over with --force.
func versionWays(dir string, shard ShardSpec) string {
	var flags []string
	if shard.Count > 1 {
		flags = append(flags, fmt.Sprintf("--shard %d/%d", shard.Index, shard.Count))
	}
	return results.VersionWays(ResumeCommand(dir, shard), "run", dir, flags...)
}
