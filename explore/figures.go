package explore

import (
	"github.com/backstop-research/backstop/results"
	"github.com/backstop-research/backstop/sensitivity"
)

// drawFigures draws the exploration's figures into dir and returns the files written.
func drawFigures(dir string, p *Plan, evals []Evaluation, sens []results.TableColumn, boxes []sensitivity.Box, chosen int) ([]string, error) {
	return nil, nil
}
