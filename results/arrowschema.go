package results

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// arrowSchemaKey is the footer key under which Arrow writers store the Arrow schema.
const arrowSchemaKey = "ARROW:schema"

// newArrowReader is pqarrow.NewFileReader over pr, the Parquet file at path, once the
// Arrow schema in its footer (if any) passed checkArrowSchema.
func newArrowReader(path string, pr *file.Reader, props pqarrow.ArrowReadProperties) (*pqarrow.FileReader, error) {
	if v := pr.MetaData().KeyValueMetadata().FindValue(arrowSchemaKey); v != nil {
		if err := checkArrowSchema(*v); err != nil {
			return nil, fmt.Errorf("read %s: the Arrow schema in its footer is damaged (%v)", path, err)
		}
	}
	fr, err := pqarrow.NewFileReader(pr, props, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return fr, nil
}

// checkArrowSchema checks that a footer's serialized Arrow schema (base64 of an IPC
// stream's schema message, a flatbuffer) lies within its bytes: every table, vector and
// string it reaches, through the schema's fields, their types, children, dictionaries
// and metadata, nested at most maxSchemaDepth deep. Arrow's reader trusts the
// lengths: one flipped bit can make it allocate gigabytes for a field's children, which
// ends the process ("out of memory" is fatal, not a panic) instead of being an error.
func checkArrowSchema(encoded string) error {
	b, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return err
	}
	// The IPC stream: a continuation marker (absent in older streams), the message's
	// length, then the message.
	if len(b) >= 4 && binary.LittleEndian.Uint32(b) == 0xFFFFFFFF {
		b = b[4:]
	}
	if len(b) < 4 {
		return errors.New("shorter than a message")
	}
	n := binary.LittleEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return fmt.Errorf("a message of %d bytes in %d", n, len(b)-4)
	}
	fb := &flatbuf{b: b[4 : 4+n], budget: int(n) / 4}
	msg, err := fb.root()
	if err != nil {
		return err
	}
	schema, err := fb.table(msg, 2) // Message.header
	if err != nil || schema == 0 {
		return errors.Join(errors.New("no schema in the message"), err)
	}
	if _, err := fb.vector(schema, 3, 8); err != nil { // Schema.features
		return err
	}
	if err := fb.keyValues(schema, 2); err != nil { // Schema.custom_metadata
		return err
	}
	return fb.fields(schema, 1, 0) // Schema.fields
}

// maxSchemaDepth bounds the nesting of fields' children checkArrowSchema follows: far
// more than any schema of ours (1), and a cycle in a damaged one ends there.
const maxSchemaDepth = 64

// flatbuf reads a flatbuffer with every offset and length checked against its bytes.
// budget is the tables it may still visit: each takes 4 bytes or more, so a damaged
// schema whose offsets loop back (children pointing at their parents) ends there.
type flatbuf struct {
	b      []byte
	budget int
}

var errOutside = errors.New("an offset or length beyond the schema's bytes")

func (fb *flatbuf) u32(at int) (int, error) {
	b := fb.b
	if at < 0 || at > len(b)-4 {
		return 0, errOutside
	}
	return int(binary.LittleEndian.Uint32(b[at:])), nil
}

// root returns where the root table lies.
func (fb *flatbuf) root() (int, error) {
	b := fb.b
	off, err := fb.u32(0)
	if err != nil || off < 4 || off > len(b)-4 {
		return 0, errOutside
	}
	return off, nil
}

// slot returns where field slot of the table at t lies, 0 when the table has none.
func (fb *flatbuf) slot(t, slot int) (int, error) {
	b := fb.b
	soff, err := fb.u32(t)
	if err != nil {
		return 0, err
	}
	vt := t - int(int32(uint32(soff)))
	if vt < 0 || vt > len(b)-4 {
		return 0, errOutside
	}
	vtLen := int(binary.LittleEndian.Uint16(b[vt:]))
	entry := vt + 4 + 2*slot
	if entry+2 > vt+vtLen {
		return 0, nil // a field the writer left out
	}
	if entry+2 > len(b) {
		return 0, errOutside
	}
	off := int(binary.LittleEndian.Uint16(b[entry:]))
	if off == 0 {
		return 0, nil
	}
	if t+off > len(b)-4 {
		return 0, errOutside
	}
	return t + off, nil
}

// target returns where the offset stored at at points.
func (fb *flatbuf) target(at int) (int, error) {
	b := fb.b
	off, err := fb.u32(at)
	if err != nil || off == 0 || at+off > len(b)-4 {
		return 0, errOutside
	}
	return at + off, nil
}

// table returns where the table in slot of table t lies, 0 when it has none.
func (fb *flatbuf) table(t, slot int) (int, error) {
	at, err := fb.slot(t, slot)
	if err != nil || at == 0 {
		return 0, err
	}
	return fb.target(at)
}

// vector returns where the elements of the vector (or string) in slot of table t start
// and checks that its elemSize-byte elements lie within the buffer; 0 when it has none.
func (fb *flatbuf) vector(t, slot, elemSize int) (int, error) {
	b := fb.b
	at, err := fb.table(t, slot)
	if err != nil || at == 0 {
		return 0, err
	}
	n, err := fb.u32(at)
	if err != nil || uint64(n)*uint64(elemSize) > uint64(len(b)-at-4) {
		return 0, errOutside
	}
	return at + 4, nil
}

// tables checks the vector of tables in slot of table t and calls each on every one.
func (fb *flatbuf) tables(t, slot int, each func(table int) error) error {
	v, err := fb.vector(t, slot, 4)
	if err != nil || v == 0 {
		return err
	}
	n, _ := fb.u32(v - 4)
	for i := range n {
		if fb.budget--; fb.budget < 0 {
			return errors.New("more tables than its bytes hold")
		}
		elem, err := fb.target(v + 4*i)
		if err != nil {
			return err
		}
		if err := each(elem); err != nil {
			return err
		}
	}
	return nil
}

// keyValues checks the KeyValue tables (key 0, value 1: strings) in slot of table t.
func (fb *flatbuf) keyValues(t, slot int) error {
	return fb.tables(t, slot, func(kv int) error {
		for s := range 2 {
			if _, err := fb.vector(kv, s, 1); err != nil {
				return err
			}
		}
		return nil
	})
}

// fields checks the Field tables in slot of table t, at nesting depth.
func (fb *flatbuf) fields(t, slot, depth int) error {
	if depth > maxSchemaDepth {
		return fmt.Errorf("fields nested over %d deep", maxSchemaDepth)
	}
	return fb.tables(t, slot, func(f int) error {
		if _, err := fb.vector(f, 0, 1); err != nil { // Field.name
			return err
		}
		if _, err := fb.table(f, 3); err != nil { // Field.type
			return err
		}
		dict, err := fb.table(f, 4) // Field.dictionary, and its DictionaryEncoding.indexType
		if err != nil {
			return err
		}
		if dict != 0 {
			if _, err := fb.table(dict, 1); err != nil {
				return err
			}
		}
		if err := fb.keyValues(f, 6); err != nil { // Field.custom_metadata
			return err
		}
		return fb.fields(f, 5, depth+1) // Field.children
	})
}
