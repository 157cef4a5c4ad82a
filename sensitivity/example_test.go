package sensitivity_test

import (
	"fmt"
	"math"

	"github.com/backstop-research/backstop/sensitivity"
)

// The Ishigami function's indices from a Saltelli design of 4096 base samples: the
// analytic values are S1 = 0.314, 0.442, 0 and ST = 0.558, 0.442, 0.244.
func ExampleSobolIndices() {
	x, err := sensitivity.Saltelli(3, 4096)
	if err != nil {
		panic(err)
	}
	y := make([]float64, len(x))
	for i, u := range x {
		a, b, c := -math.Pi+2*math.Pi*u[0], -math.Pi+2*math.Pi*u[1], -math.Pi+2*math.Pi*u[2]
		y[i] = math.Sin(a) + 7*math.Pow(math.Sin(b), 2) + 0.1*math.Pow(c, 4)*math.Sin(a)
	}
	res, err := sensitivity.SobolIndices(y, nil, 3, sensitivity.Bootstrap{Seed: 1})
	if err != nil {
		panic(err)
	}
	for i, ix := range res.Indices {
		fmt.Printf("x%d  S1 %.2f  ST %.2f\n", i+1, ix.S1, ix.ST)
	}
	// Output:
	// x1  S1 0.31  ST 0.56
	// x2  S1 0.44  ST 0.44
	// x3  S1 -0.00  ST 0.24
}

// Morris screening ranks inputs by mu*, their mean absolute elementary effect.
func ExampleMorrisIndices() {
	f := func(u []float64) float64 { return 10*u[0] + u[1]*u[1] + 0*u[2] }
	x, err := sensitivity.MorrisDesign(3, 20, 4, 1)
	if err != nil {
		panic(err)
	}
	y := make([]float64, len(x))
	for i, u := range x {
		y[i] = f(u)
	}
	res, err := sensitivity.MorrisIndices(x, y, nil, 3, sensitivity.Bootstrap{Seed: 1})
	if err != nil {
		panic(err)
	}
	for i, ix := range res.Indices {
		fmt.Printf("x%d  mu* %.1f\n", i+1, ix.MuStar)
	}
	// Output:
	// x1  mu* 10.0
	// x2  mu* 1.1
	// x3  mu* 0.0
}

// PRIM peels a box around the points where a condition holds; ChooseBox picks the densest
// box that still covers most of them.
func ExamplePRIM() {
	x, err := sensitivity.LatinHypercube(2, 1000, 1)
	if err != nil {
		panic(err)
	}
	hit := make([]bool, len(x))
	for i, u := range x {
		hit[i] = u[0] > 0.7
	}
	boxes, err := sensitivity.PRIM(x, hit, []float64{0, 0}, []float64{1, 1}, sensitivity.PRIMOptions{})
	if err != nil {
		panic(err)
	}
	b := boxes[sensitivity.ChooseBox(boxes, 0.9)]
	fmt.Printf("x1 >= %.1f, x2 in [%.0f, %.0f]: coverage %.2f, density %.2f\n", b.Lo[0], b.Lo[1], b.Hi[1], b.Coverage, b.Density)
	// Output:
	// x1 >= 0.7, x2 in [0, 1]: coverage 0.96, density 1.00
}
