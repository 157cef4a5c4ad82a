package sim

// nonePolicy registers none (registry.go).
var nonePolicy = PolicySpec{
	Name:        "none",
	Label:       "none (no backstop)",
	Color:       "#D55E00",
	Description: "the benchmark: no central-bank response",
	New:         func(*Config) Policy { return &None{} },
}

// None is the benchmark without a central-bank response: X^c = X^f = S - R.
type None struct{}

// Start does nothing: None keeps no books.
func (*None) Start() {}

// Adjust leaves conditions as they are.
func (*None) Adjust(Day, *Conditions) {}

// Absorb buys nothing.
func (*None) Absorb(Day) Absorption { return Absorption{} }

// Settle does nothing.
func (*None) Settle(Day, Absorption) {}

// Sheet is always empty.
func (*None) Sheet() Sheet { return Sheet{ClosedDay: -1} }
