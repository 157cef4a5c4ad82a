package configs

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/backstop-research/backstop/sim"
	"go.yaml.in/yaml/v3"
)

// DecodeKey decodes n as the value of the dotted scenario key (e.g. "funds.b0", or
// "qe.schedule[2]" for an element of a list) into that field of cfg, with the checks and
// messages of Decode (n.Line is the line they name in source). Decoding a file whose key
// holds n and decoding the file without it, then n with DecodeKey, give the same config:
// designs that build many scenarios differing in a few keys (package sweep) decode the
// rest once. cfg is not validated. A key cfg does not have is an error.
func DecodeKey(cfg *sim.Config, key string, n *yaml.Node, source string) error {
	v := reflect.ValueOf(cfg).Elem()
	for _, part := range strings.Split(key, ".") {
		name, index := part, -1
		if i := strings.IndexByte(part, '['); i > 0 && strings.HasSuffix(part, "]") {
			j, err := strconv.Atoi(part[i+1 : len(part)-1])
			if err != nil || j < 0 {
				return &Error{Source: source, Key: key, Msg: "not a scenario key"}
			}
			name, index = part[:i], j
		}
		if v.Kind() != reflect.Struct {
			return &Error{Source: source, Key: key, Msg: "not a scenario key"}
		}
		f, ok := fieldByTag(v, name)
		if !ok {
			return &Error{Source: source, Key: key, Msg: "not a scenario key"}
		}
		v = f
		if index >= 0 {
			if v.Kind() != reflect.Slice || index >= v.Len() {
				return &Error{Source: source, Key: key, Msg: fmt.Sprintf("no element %d here", index)}
			}
			v = v.Index(index)
		}
	}
	d := decoder{source: source}
	return d.value(n, v, key)
}

// fieldByTag returns the field of struct v whose yaml tag is name.
func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("yaml") == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}
