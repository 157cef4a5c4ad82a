package sensitivity

import "math"

// ishigami is the function of T. Ishigami and T. Homma (1990) on [-pi, pi]^3, with
// a = 7 and b = 0.1, evaluated at unit-cube point u.
func ishigami(u []float64) float64 {
	const a, b = 7, 0.1
	x := make([]float64, 3)
	for i := range x {
		x[i] = -math.Pi + 2*math.Pi*u[i]
	}
	return math.Sin(x[0]) + a*math.Pow(math.Sin(x[1]), 2) + b*math.Pow(x[2], 4)*math.Sin(x[0])
}

// ishigamiIndices returns the analytic first-order and total indices of ishigami
// (Saltelli et al., Global Sensitivity Analysis: The Primer, 2008, sec. 4.7).
func ishigamiIndices() (s1, st []float64) {
	const a, b = 7.0, 0.1
	pi4, pi8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v1 := 0.5 * math.Pow(1+b*pi4/5, 2)
	v2 := a * a / 8
	v13 := 8 * b * b * pi8 / 225
	v := v1 + v2 + v13
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// gFunction is the Sobol' G-function, prod_i (|4u_i - 2| + a_i) / (1 + a_i).
func gFunction(a []float64) func([]float64) float64 {
	return func(u []float64) float64 {
		g := 1.0
		for i, ai := range a {
			g *= (math.Abs(4*u[i]-2) + ai) / (1 + ai)
		}
		return g
	}
}

// gIndices returns the G-function's analytic indices: V_i = 1/(3(1+a_i)^2),
// V = prod(1+V_i) - 1, S1_i = V_i/V, ST_i = V_i prod_{j!=i}(1+V_j)/V.
func gIndices(a []float64) (s1, st []float64) {
	vi := make([]float64, len(a))
	prod := 1.0
	for i, ai := range a {
		vi[i] = 1 / (3 * (1 + ai) * (1 + ai))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	for i := range a {
		s1 = append(s1, vi[i]/v)
		st = append(st, vi[i]*prod/(1+vi[i])/v)
	}
	return s1, st
}

func evaluate(f func([]float64) float64, x [][]float64) []float64 {
	y := make([]float64, len(x))
	for i, p := range x {
		y[i] = f(p)
	}
	return y
}
