package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/backstop-research/backstop/results"
)

// planSource is where a study command (sweep, explore, calibrate) finds its plan: the
// plan recorded in the manifest of the directory --resume names, or the file --config
// names. Each command checks beforehand which other flags --resume takes.
type planSource[P any] struct {
	command string // "sweep"
	example string // a --config file to show when none is given
	// recorded returns the plan text recorded in dir's manifest, or why it cannot be
	// resumed.
	recorded func(dir string) (string, error)
	decode   func(data []byte, source string) (P, error)
	load     func(path string) (P, error)
}

// plan returns the plan to resume from resume (when set) or to load from configPath;
// every error is a usage error.
func (s planSource[P]) plan(resume, configPath string) (P, error) {
	var zero P
	switch {
	case resume != "":
		text, err := s.recorded(resume)
		if err != nil {
			return zero, usageError{fmt.Errorf("--resume %s: %w", resume, err)}
		}
		p, err := s.decode([]byte(text), filepath.Join(resume, results.ManifestFile))
		if err != nil {
			return zero, usageError{err}
		}
		return p, nil
	case configPath == "":
		return zero, usageError{errors.New(s.command + " needs --config FILE, e.g. backstop " + s.command + " --config " + s.example)}
	default:
		p, err := s.load(configPath)
		if err != nil {
			return zero, usageError{err}
		}
		return p, nil
	}
}
