package explore

import (
	"fmt"

	"github.com/backstop-research/backstop/sensitivity"
)

// maxSobolParams is the most parameters of a sobol design (two sequence dimensions each).
const maxSobolParams = sensitivity.MaxSobolDims / 2

// Points returns the design's points in the unit cube, in evaluation order: Saltelli
// blocks (A, B, AB_1..AB_k) for sobol, trajectories of k+1 points for morris, and the
// Latin hypercube's points for lhs. The design depends on the seed only for morris and lhs
// (the Sobol' sequence is deterministic).
func (p *Plan) Points() ([][]float64, error) {
	k := len(p.Params)
	switch p.Design {
	case DesignSobol:
		return sensitivity.Saltelli(k, p.Samples)
	case DesignMorris:
		return sensitivity.MorrisDesign(k, p.Samples, MorrisLevels, p.Seed)
	case DesignLHS:
		return sensitivity.LatinHypercube(k, p.Samples, p.Seed)
	}
	return nil, fmt.Errorf("unknown design %q", p.Design)
}

// Values returns the parameter values of every evaluation: the design's points mapped
// through each parameter's range, scale or set of values.
func (p *Plan) Values() ([][]float64, error) {
	pts, err := p.Points()
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(pts))
	for i, u := range pts {
		out[i] = make([]float64, len(p.Params))
		for j, pr := range p.Params {
			out[i][j] = pr.Value(u[j])
		}
	}
	return out, nil
}
