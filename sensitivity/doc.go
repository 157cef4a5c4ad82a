// Package sensitivity holds the designs and estimators of global sensitivity analysis and
// scenario discovery, independent of the model: a function of k inputs in the unit cube
// is evaluated at the points of a design, and the estimators read the outputs back.
//
//   - [Sobol] is the Sobol' low-discrepancy sequence with the direction numbers of Joe and
//     Kuo (2008).
//   - [Saltelli] lays out the A, B and AB_i matrices of Saltelli et al. (2010) on that
//     sequence; [SobolIndices] estimates first-order indices S1 with the Saltelli (2010)
//     estimator and total indices ST with Jansen's (1999), with bootstrap intervals.
//   - [MorrisDesign] draws the one-at-a-time trajectories of Morris (1991);
//     [MorrisIndices] returns the elementary effects' mu, mu* (Campolongo et al. 2007) and
//     sigma, with bootstrap intervals.
//   - [LatinHypercube] is a Latin hypercube ensemble (McKay et al. 1979).
//   - [PRIM] is the patient rule induction method of Friedman and Fisher (1999): it peels
//     a box around the points where a condition holds and reports each step's coverage
//     and density.
//
// Everything random takes a seed, so a design and its intervals are reproducible. Failed
// evaluations are passed as a validity mask and handled by a documented rule in each
// estimator (never as NaN).
package sensitivity
