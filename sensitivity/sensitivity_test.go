package sensitivity

import (
	"math"
	"slices"
	"testing"
)

func TestSobolFirstPoints(t *testing.T) {
	// The unscrambled sequence in Gray-code order, as published with the Joe-Kuo numbers
	// (and returned by SciPy's qmc.Sobol(d=3, scramble=False)).
	want := [][]float64{
		{0, 0, 0}, {0.5, 0.5, 0.5}, {0.75, 0.25, 0.25}, {0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625}, {0.875, 0.875, 0.125}, {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375},
	}
	s, err := NewSobol(3)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, 3)
	for i, w := range want {
		s.Point(uint64(i), got)
		if !slices.Equal(got, w) {
			t.Errorf("point %d = %v, want %v", i, got, w)
		}
	}
}

// TestSobolTable checks the transcribed Joe-Kuo rows: each polynomial is primitive over
// GF(2) (x has order 2^s - 1 modulo it), each m_k is odd and below 2^k, and every
// coordinate of the first 2^m points is stratified (one point per interval of width 2^-m).
func TestSobolTable(t *testing.T) {
	for j, row := range joeKuo {
		if len(row.m) != row.s {
			t.Fatalf("dimension %d: %d initial numbers for degree %d", j+2, len(row.m), row.s)
		}
		p := uint64(1)<<row.s | uint64(row.a)<<1 | 1
		order, x := 0, uint64(1)
		for {
			x <<= 1
			if x>>row.s&1 == 1 {
				x ^= p
			}
			order++
			if x == 1 || order > 1<<row.s {
				break
			}
		}
		if order != 1<<row.s-1 {
			t.Errorf("dimension %d: polynomial (s=%d, a=%d) is not primitive (order %d)", j+2, row.s, row.a, order)
		}
		for k, m := range row.m {
			if m%2 == 0 || m >= 1<<(k+1) {
				t.Errorf("dimension %d: m_%d = %d must be odd and below 2^%d", j+2, k+1, m, k+1)
			}
		}
	}
	const m = 12
	s, _ := NewSobol(MaxSobolDims)
	seen := make([][]bool, MaxSobolDims)
	for d := range seen {
		seen[d] = make([]bool, 1<<m)
	}
	p := make([]float64, MaxSobolDims)
	for i := 0; i < 1<<m; i++ {
		s.Point(uint64(i), p)
		for d, x := range p {
			c := int(x * (1 << m))
			if seen[d][c] {
				t.Fatalf("dimension %d: two of the first 2^%d points in cell %d", d+1, m, c)
			}
			seen[d][c] = true
		}
	}
	if _, err := NewSobol(MaxSobolDims + 1); err == nil {
		t.Error("NewSobol accepted more dimensions than the table holds")
	}
}

func TestSobolIndicesAnalytic(t *testing.T) {
	ishS1, ishST := ishigamiIndices()
	ga := []float64{0, 1, 4.5, 9, 99, 99}
	gS1, gST := gIndices(ga)
	for _, tc := range []struct {
		name    string
		f       func([]float64) float64
		k, n    int
		s1, st  []float64
		maxHalf float64 // the intervals must be this tight, or the check says little
	}{
		{"ishigami", ishigami, 3, 8192, ishS1, ishST, 0.05},
		{"g-function", gFunction(ga), 6, 16384, gS1, gST, 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Saltelli(tc.k, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			res, err := SobolIndices(evaluate(tc.f, x), nil, tc.k, Bootstrap{Resamples: 500, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			for i, ix := range res.Indices {
				t.Logf("x%d: S1 %.4f [%.4f, %.4f] (analytic %.4f)  ST %.4f [%.4f, %.4f] (analytic %.4f)",
					i+1, ix.S1, ix.S1Lo, ix.S1Hi, tc.s1[i], ix.ST, ix.STLo, ix.STHi, tc.st[i])
				if !(ix.S1Lo <= tc.s1[i] && tc.s1[i] <= ix.S1Hi) {
					t.Errorf("x%d: analytic S1 %.4f outside [%.4f, %.4f]", i+1, tc.s1[i], ix.S1Lo, ix.S1Hi)
				}
				if !(ix.STLo <= tc.st[i] && tc.st[i] <= ix.STHi) {
					t.Errorf("x%d: analytic ST %.4f outside [%.4f, %.4f]", i+1, tc.st[i], ix.STLo, ix.STHi)
				}
				if (ix.S1Hi-ix.S1Lo)/2 > tc.maxHalf || (ix.STHi-ix.STLo)/2 > tc.maxHalf {
					t.Errorf("x%d: intervals wider than +-%g", i+1, tc.maxHalf)
				}
			}
			if res.Blocks != tc.n || res.Dropped != 0 {
				t.Errorf("blocks %d dropped %d, want %d and 0", res.Blocks, res.Dropped, tc.n)
			}
		})
	}
}

// An input the output ignores has indices exactly 0, intervals included; an output that
// does not vary has every index 0.
func TestSobolIndicesExactZero(t *testing.T) {
	x, _ := Saltelli(3, 256)
	y := evaluate(func(u []float64) float64 { return math.Exp(u[0]) * (1 + u[1]) }, x)
	res, err := SobolIndices(y, nil, 3, Bootstrap{Resamples: 100, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if z := res.Indices[2]; z != (SobolIndex{}) {
		t.Errorf("ignored input: %+v, want all zero", z)
	}
	flat := make([]float64, len(x))
	res, err = SobolIndices(flat, nil, 3, Bootstrap{Resamples: 100, Seed: 2})
	if err != nil || res.Variance != 0 || slices.ContainsFunc(res.Indices, func(s SobolIndex) bool { return s != SobolIndex{} }) {
		t.Errorf("constant output: %+v, %v; want zero indices", res, err)
	}
}

// A failed evaluation drops its block from every index; the estimate equals the one on
// the remaining blocks alone.
func TestSobolIndicesDropsFailedBlocks(t *testing.T) {
	const k, n = 3, 512
	x, _ := Saltelli(k, n)
	y := evaluate(ishigami, x)
	valid := make([]bool, len(y))
	for i := range valid {
		valid[i] = true
	}
	failed := []int{5, 7*(k+2) + 3, 100*(k+2) + 4} // blocks 1, 7 and 100
	for _, i := range failed {
		valid[i], y[i] = false, math.Inf(1)
	}
	res, err := SobolIndices(y, valid, k, Bootstrap{Resamples: 10, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Dropped != 3 || res.Blocks != n-3 {
		t.Errorf("dropped %d, used %d; want 3 and %d", res.Dropped, res.Blocks, n-3)
	}
	var kept []float64
	for j := 0; j < n; j++ {
		if j != 1 && j != 7 && j != 100 {
			kept = append(kept, y[j*(k+2):(j+1)*(k+2)]...)
		}
	}
	want, _ := SobolIndices(kept, nil, k, Bootstrap{Resamples: 10, Seed: 3})
	for i := range want.Indices {
		if res.Indices[i].S1 != want.Indices[i].S1 || res.Indices[i].ST != want.Indices[i].ST {
			t.Errorf("x%d: %+v, want the estimate without the blocks %+v", i+1, res.Indices[i], want.Indices[i])
		}
		if math.IsNaN(res.Indices[i].S1) || math.IsInf(res.Indices[i].ST, 0) {
			t.Errorf("x%d: a failed evaluation leaked into the estimate", i+1)
		}
	}
}

func TestSobolIndicesErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		y     []float64
		valid []bool
		k     int
	}{
		{"not blocks", make([]float64, 7), nil, 3},
		{"empty", nil, nil, 1},
		{"flags", make([]float64, 10), make([]bool, 3), 3},
		{"all failed", make([]float64, 10), make([]bool, 10), 3},
	} {
		if _, err := SobolIndices(tc.y, tc.valid, tc.k, Bootstrap{}); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := Saltelli(MaxSobolDims/2+1, 8); err == nil {
		t.Error("Saltelli accepted more inputs than the sequence has dimensions for")
	}
}

func TestMorrisRanksGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99}
	x, err := MorrisDesign(len(a), 60, 4, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range x {
		for _, v := range p {
			if v < 0 || v > 1 {
				t.Fatalf("design point %v outside the unit cube", p)
			}
		}
	}
	res, err := MorrisIndices(x, evaluate(gFunction(a), x), nil, len(a), Bootstrap{Resamples: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, ix := range res.Indices {
		t.Logf("x%d: mu* %.4f [%.4f, %.4f] sigma %.4f", i+1, ix.MuStar, ix.MuStarLo, ix.MuStarHi, ix.Sigma)
		if !(ix.MuStarLo <= ix.MuStar && ix.MuStar <= ix.MuStarHi) {
			t.Errorf("x%d: mu* outside its interval", i+1)
		}
	}
	// Importance falls with a_i: the four first inputs in order, with separated intervals,
	// above the two near-inert ones.
	for i := 0; i+1 < 4; i++ {
		if !(res.Indices[i].MuStarLo > res.Indices[i+1].MuStarHi) {
			t.Errorf("mu* of x%d (%.4f) not clearly above x%d (%.4f)", i+1, res.Indices[i].MuStar, i+2, res.Indices[i+1].MuStar)
		}
	}
	for i := 4; i < 6; i++ {
		if res.Indices[i].MuStar >= res.Indices[3].MuStar {
			t.Errorf("x%d ranked above x4", i+1)
		}
	}
	// Ishigami: x3 acts only through its interaction with x1, so its mu (signed) is near 0
	// while its mu* and sigma are not; x2's effect is non-monotone, also with mu near 0.
	xi, _ := MorrisDesign(3, 200, 4, 8)
	ri, err := MorrisIndices(xi, evaluate(ishigami, xi), nil, 3, Bootstrap{Resamples: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ri.Indices[2].MuStar < 3*math.Abs(ri.Indices[2].Mu) || ri.Indices[2].Sigma == 0 {
		t.Errorf("ishigami x3: mu %.3f mu* %.3f sigma %.3f; want |mu| << mu*", ri.Indices[2].Mu, ri.Indices[2].MuStar, ri.Indices[2].Sigma)
	}
}

func TestMorrisDropsFailedTrajectories(t *testing.T) {
	x, _ := MorrisDesign(3, 10, 4, 1)
	y := evaluate(ishigami, x)
	valid := make([]bool, len(y))
	for i := range valid {
		valid[i] = i/4 != 2 // trajectory 2 failed
	}
	res, err := MorrisIndices(x, y, valid, 3, Bootstrap{Resamples: 10})
	if err != nil || res.Dropped != 1 || res.Trajectories != 9 {
		t.Errorf("dropped %d used %d err %v; want 1, 9, nil", res.Dropped, res.Trajectories, err)
	}
	if _, err := MorrisDesign(3, 10, 5, 1); err == nil {
		t.Error("odd number of levels accepted")
	}
}

func TestLatinHypercubeStratified(t *testing.T) {
	const k, n = 4, 200
	x, err := LatinHypercube(k, n, 9)
	if err != nil {
		t.Fatal(err)
	}
	for d := 0; d < k; d++ {
		seen := make([]bool, n)
		for _, p := range x {
			c := int(p[d] * n)
			if c < 0 || c >= n || seen[c] {
				t.Fatalf("coordinate %d: slice %d hit twice or out of range", d, c)
			}
			seen[c] = true
		}
	}
	again, _ := LatinHypercube(k, n, 9)
	if !slices.EqualFunc(x, again, slices.Equal) {
		t.Error("same seed, different design")
	}
}

func TestPRIMFindsPlantedBox(t *testing.T) {
	x, _ := LatinHypercube(4, 3000, 11)
	hit := make([]bool, len(x))
	for i, p := range x {
		hit[i] = p[0] >= 0.2 && p[0] <= 0.5 && p[2] >= 0.6
	}
	lo, hi := []float64{0, 0, 0, 0}, []float64{1, 1, 1, 1}
	boxes, err := PRIM(x, hit, lo, hi, PRIMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(boxes); i++ {
		if boxes[i].Mass > boxes[i-1].Mass || boxes[i].Coverage > boxes[i-1].Coverage {
			t.Errorf("step %d: mass or coverage grew", i)
		}
	}
	b := boxes[ChooseBox(boxes, 0.8)]
	t.Logf("chosen box lo %v hi %v coverage %.3f density %.3f (%d steps)", b.Lo, b.Hi, b.Coverage, b.Density, len(boxes))
	if b.Density < 0.9 || b.Coverage < 0.8 {
		t.Errorf("density %.3f coverage %.3f; want >= 0.9 and >= 0.8", b.Density, b.Coverage)
	}
	// One peel moves a bound by about Alpha of the box's points, so the bounds land within
	// a few peels' width (0.05 of the range each) of the planted ones.
	for _, c := range []struct {
		got, want float64
		what      string
	}{{b.Lo[0], 0.2, "x1 low"}, {b.Hi[0], 0.5, "x1 high"}, {b.Lo[2], 0.6, "x3 low"}} {
		if math.Abs(c.got-c.want) > 0.06 {
			t.Errorf("%s bound %.3f, planted %.1f", c.what, c.got, c.want)
		}
	}
	domain := boxes[0]
	if b.Restricted(1, domain) || b.Restricted(3, domain) {
		t.Errorf("the box restricts an input the condition ignores: %v %v", b.Lo, b.Hi)
	}
}
