package results

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/backstop-research/backstop/internal/regular"
)

// ManifestKind returns the kind that dir/manifest.json records: "" for a run's (which has
// none), "sweep", "explore" or "calibration" for the directories of those commands. The
// error of a missing manifest wraps fs.ErrNotExist.
func ManifestKind(dir string) (string, error) {
	return ManifestKindFile(filepath.Join(dir, ManifestFile))
}

// ManifestKindFile returns the kind that the manifest at path records (see ManifestKind):
// a shard's manifest, say.
func ManifestKindFile(path string) (string, error) {
	f, err := regular.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.NewDecoder(f).Decode(&head); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return head.Kind, nil
}
