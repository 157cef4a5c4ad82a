// Package configs holds the scenario files and decodes them strictly into sim.Config.
//
// baseline.yaml is embedded in the binary and is the single source of defaults: a
// scenario file is decoded on top of it, so a file need only name what it changes.
// Decoding rejects unknown keys, values of the wrong type and values out of range, with an
// error naming the key, the value and what is allowed.
package configs
