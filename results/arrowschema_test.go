package results

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/backstop-research/backstop/sim"
)

// TestDamagedArrowSchemaIsAnError checks that a part whose footer's Arrow schema
// (ARROW:schema) claims a vector far longer than the schema, as one flipped bit of its
// base64 can, is an error naming the file from every reader of ours: arrow's schema
// reader trusts the length and allocates it (for a field's children, 2^31 of them: a
// fatal "out of memory", not a panic, before this check).
func TestDamagedArrowSchemaIsAnError(t *testing.T) {
	policies := []string{"none", "qe"}
	rows := make([]sim.Result, 10)
	for i := range rows {
		rows[i].Path, rows[i].Policy = int64(i/2), i%2
	}
	path := filepath.Join(t.TempDir(), "part.parquet")
	if err := WritePart(path, NewProvenance("scenario: test\n", 1, 5), policies, rows); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := StatFile(path)
	if err != nil {
		t.Fatal(err)
	}
	encoded := info.Metadata["ARROW:schema"]
	schema, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || bytes.Count(b, []byte(encoded)) != 1 {
		t.Fatalf("the footer's ARROW:schema (%d bytes) is not base64 (%v) found once in the file", len(encoded), err)
	}
	for _, tc := range []struct {
		name string
		at   func(msg []byte) int // where in the schema message the damaged uint32 lies
	}{
		{"the first field's children", func(msg []byte) int { return vectorAt(msg, fieldOf(msg, 0), 5) }},
		{"the second field's name", func(msg []byte) int { return vectorAt(msg, fieldOf(msg, 1), 0) }},
		{"the schema's fields", func(msg []byte) int { return vectorAt(msg, schemaTable(msg), 1) }},
		{"the schema's metadata", func(msg []byte) int { return vectorAt(msg, schemaTable(msg), 2) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := bytes.Clone(schema)
			at := 8 + tc.at(schema[8:]) // after the IPC stream's continuation and length
			binary.LittleEndian.PutUint32(bad[at:], 1<<31-1)
			damaged := bytes.Replace(b, []byte(encoded), []byte(base64.StdEncoding.EncodeToString(bad)), 1)
			if err := os.WriteFile(path, damaged, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := StatFile(path); err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("StatFile: error %v, want one naming %s", err, path)
			}
			if _, _, err := DecodePart(path); err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("DecodePart: error %v, want one naming %s", err, path)
			}
		})
	}
}

// The schema message's flatbuffer, walked by the field numbers of Arrow's Schema.fbs
// (Message.header 2, Schema.fields 1, Field.children 5): just enough to find a vector.
func u32(b []byte, at int) int { return int(binary.LittleEndian.Uint32(b[at:])) }

// slotAt returns where field slot of the table at t lies.
func slotAt(b []byte, t, slot int) int {
	vt := t - int(int32(binary.LittleEndian.Uint32(b[t:])))
	return t + int(binary.LittleEndian.Uint16(b[vt+4+2*slot:]))
}

// vectorAt returns where the length of the vector (or string) in slot of table t lies.
func vectorAt(b []byte, t, slot int) int { at := slotAt(b, t, slot); return at + u32(b, at) }

func schemaTable(msg []byte) int {
	root := u32(msg, 0)
	at := slotAt(msg, root, 2)
	return at + u32(msg, at)
}

func fieldOf(msg []byte, i int) int {
	v := vectorAt(msg, schemaTable(msg), 1)
	at := v + 4 + 4*i
	return at + u32(msg, at)
}

// FuzzCheckArrowSchema checks that checkArrowSchema neither panics nor passes a schema
// arrow's reader cannot read without a fatal error (arrow's panics it recovers itself).
func FuzzCheckArrowSchema(f *testing.F) {
	rows := []sim.Result{{Path: 0, Policy: 0}, {Path: 0, Policy: 1}}
	path := filepath.Join(f.TempDir(), "part.parquet")
	if err := WritePart(path, NewProvenance("scenario: test\n", 1, 1), []string{"none", "qe"}, rows); err != nil {
		f.Fatal(err)
	}
	info, err := StatFile(path)
	if err != nil {
		f.Fatal(err)
	}
	schema, err := base64.StdEncoding.DecodeString(info.Metadata[arrowSchemaKey])
	if err != nil {
		f.Fatal(err)
	}
	f.Add(schema)
	f.Add(schema[4:]) // without the continuation marker, as older writers wrote
	f.Fuzz(func(t *testing.T, b []byte) {
		if checkArrowSchema(base64.StdEncoding.EncodeToString(b)) != nil {
			return
		}
		func() {
			defer func() { _ = recover() }()
			if r, err := ipc.NewReader(bytes.NewReader(b)); err == nil {
				r.Release()
			}
		}()
	})
}
