package sim

// None is the benchmark without a central-bank response: X^c = X^f = S - R.
type None struct{}

// Name returns "none".
func (*None) Name() string { return "none" }

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
