package main

import (
	"fmt"
	"os"
	"strconv"
)

// maxPathsEnv caps the paths of every fresh run and sweep point: a smoke test of a batch
// script, or of every command in the docs, at a small scale without editing it. A capped
// run says so in its log; its manifest and summary give the paths it ran.
const maxPathsEnv = "BACKSTOP_MAX_PATHS"

// capPaths returns paths capped by BACKSTOP_MAX_PATHS (unset or empty: no cap) and a note
// for the log when the cap applies.
func capPaths(paths int) (int, string, error) {
	v := os.Getenv(maxPathsEnv)
	if v == "" {
		return paths, "", nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, "", fmt.Errorf("%s=%q: use a whole number of at least 1, or unset it", maxPathsEnv, v)
	}
	if paths <= n {
		return paths, "", nil
	}
	return n, fmt.Sprintf("backstop: %s=%d caps the paths: %d instead of %d", maxPathsEnv, n, n, paths), nil
}
