package results

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// Metadata keys written to every Parquet footer.
const (
	KeyConfig        = "backstop.config" // the fully resolved config, YAML
	KeySeed          = "backstop.seed"
	KeyPaths         = "backstop.paths"
	KeyVersion       = "backstop.version"
	KeyCreated       = "backstop.created" // RFC 3339, UTC
	KeySchemaVersion = "backstop.schema_version"
)

// Version is the tool's version: set at link time by the Makefile
// (-ldflags "-X github.com/backstop-research/backstop/results.Version=..."), otherwise
// taken from the build info.
var Version = ""

// ToolVersion returns Version, or the module version and VCS revision from the build info,
// followed by the build's arithmetic when it is not the reference's (see arithmetic).
func ToolVersion() string {
	return toolVersion() + arithmetic()
}

func toolVersion() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			v += "+" + s.Value
		}
	}
	return v
}

// arithmetic returns "" for a build whose floating-point results are the reference's:
// amd64 at GOAMD64 v1 or v2, where Go fuses no multiply-add. Elsewhere (GOAMD64=v3 or
// above, arm64, and the other architectures where the compiler fuses x*y+z into one
// rounding) the same seed gives results that differ in their last bits, so the version
// says so, "+amd64.v3" or "+arm64": a resume or merge across builds of different
// arithmetic is then refused like one across versions.
func arithmetic() string {
	level := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "GO"+strings.ToUpper(runtime.GOARCH) {
				level = s.Value
			}
		}
	}
	return arithmeticTag(runtime.GOARCH, level)
}

// arithmeticTag is arithmetic for an architecture and its level setting (GOAMD64 and the
// like; "" when unset).
func arithmeticTag(goarch, level string) string {
	switch {
	case goarch == "amd64" && (level == "" || level == "v1" || level == "v2"):
		return ""
	case level == "":
		return "+" + goarch
	default:
		return "+" + goarch + "." + level
	}
}

// Provenance is what every output says about where it came from.
type Provenance struct {
	ConfigYAML string    // the resolved configuration
	Seed       uint64    // master seed
	Paths      int64     // paths in the run
	Version    string    // tool version
	Created    time.Time // when the run started
	// ID, when set, is the identity of the part written with this provenance: its keys
	// join the footer.
	ID *Identity
	// Bands, when set, says which paths the bands count (bands.parquet): its keys join the
	// footer.
	Bands *BandSample
}

// NewProvenance stamps a run of config, seed and paths with this tool's version and now.
func NewProvenance(configYAML string, seed uint64, paths int64) Provenance {
	return Provenance{ConfigYAML: configYAML, Seed: seed, Paths: paths, Version: ToolVersion(), Created: time.Now().UTC().Truncate(time.Second)}
}

// Metadata returns the Parquet key-value metadata for p.
func (p Provenance) Metadata() arrow.Metadata {
	keys := []string{KeyConfig, KeySeed, KeyPaths, KeyVersion, KeyCreated, KeySchemaVersion}
	values := []string{p.ConfigYAML, strconv.FormatUint(p.Seed, 10), strconv.FormatInt(p.Paths, 10), p.Version, p.Created.Format(time.RFC3339), strconv.Itoa(SchemaVersion)}
	if p.ID != nil {
		k, v := p.ID.metadata()
		keys, values = append(keys, k...), append(values, v...)
	}
	if p.Bands != nil {
		k, v := p.Bands.metadata()
		keys, values = append(keys, k...), append(values, v...)
	}
	return arrow.NewMetadata(keys, values)
}
