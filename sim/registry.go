package sim

import (
	"fmt"
	"sort"
)

// PolicySpec is everything the toolkit knows about a policy besides its parameters'
// values: its name, how figures and reports show it, and how to build it for a path. Each
// policy file declares one (policy_qe.go: qePolicy) next to the type it builds; the figures
// (colours and legend labels), the command's flag help, examples/policy_styles.csv and
// the docs read them from the registry rather than spelling them again.
type PolicySpec struct {
	Name        string // the name in configs, --policies and every output's policy column
	Label       string // legend label in figures, e.g. "qe (outright purchases)"
	Color       string // figure colour, "#RRGGBB" (an Okabe-Ito colour, kept across figures)
	Description string // one line for help texts and docs
	// Holdings names what the central bank holds under the policy in the balance-sheet
	// figure's key, e.g. "qe holdings (outright)"; "" gives "<name> exposure".
	Holdings string
	// New returns a fresh instance configured from cfg, which has passed Validate.
	New func(cfg *Config) Policy
	// Validate checks the policy's parameters in cfg (its block of the YAML); nil when it
	// has none. It runs whether or not the scenario runs the policy, since a sweep or an
	// override may switch it on.
	Validate func(cfg *Config, v *Validator)
}

// registry holds the policies in their registration order: the order of the figures'
// legends and of examples/policy_styles.csv, and the order in which Validate checks their
// parameters. Adding a policy is adding its spec here.
var registry = []PolicySpec{
	nonePolicy,
	qePolicy,
	spvPolicy,
	srfPolicy,
	slrPolicy,
	capPolicy,
}

// RegisterPolicy adds spec to the registry, after the built-in policies. It is for
// policies defined outside this package (a test's, a study's own); it panics when the
// name is empty, taken or not a valid name, or New is nil, since that is a programming error.
// Call it before any run starts (from an init function or the start of main): the
// registry is read without a lock.
func RegisterPolicy(spec PolicySpec) {
	if !ValidName(spec.Name) || spec.New == nil {
		panic(fmt.Sprintf("sim: RegisterPolicy(%q): a policy needs a valid name and a New function", spec.Name))
	}
	if _, ok := LookupPolicy(spec.Name); ok {
		panic(fmt.Sprintf("sim: RegisterPolicy(%q): the name is taken", spec.Name))
	}
	registry = append(registry, spec)
}

// Policies returns the registered policies in registration order.
func Policies() []PolicySpec { return append([]PolicySpec(nil), registry...) }

// LookupPolicy returns the spec of the named policy.
func LookupPolicy(name string) (PolicySpec, bool) {
	for _, s := range registry {
		if s.Name == name {
			return s, true
		}
	}
	return PolicySpec{}, false
}

// PolicyNames returns the registered policy names, sorted.
func PolicyNames() []string {
	names := make([]string, 0, len(registry))
	for _, s := range registry {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

// IsPolicy reports whether name is a registered policy.
func IsPolicy(name string) bool {
	_, ok := LookupPolicy(name)
	return ok
}

// NewPolicy returns a fresh instance of the named policy configured from cfg.
func NewPolicy(name string, cfg *Config) (Policy, error) {
	spec, ok := LookupPolicy(name)
	if !ok {
		return nil, fmt.Errorf("unknown policy %q (known: %v)", name, PolicyNames())
	}
	return spec.New(cfg), nil
}
