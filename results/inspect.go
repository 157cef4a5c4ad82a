package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/backstop-research/backstop/internal/printable"
	"github.com/backstop-research/backstop/internal/regular"
	"github.com/backstop-research/backstop/internal/shellquote"
	"github.com/backstop-research/backstop/internal/table"
)

// FileInfo is what a Parquet footer says about a file, read without its data.
type FileInfo struct {
	Path      string
	Rows      int64
	RowGroups int
	Fields    []string // "name: type", from the stored Arrow schema
	Metadata  map[string]string
}

// StatFile reads the footer of the Parquet file at path; damage is an error, not a panic.
func StatFile(path string) (info *FileInfo, err error) {
	defer func() {
		if r := recover(); r != nil {
			info, err = nil, fmt.Errorf("read %s: the file is damaged (%v)", path, r)
		}
	}()
	f, err := regular.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	pr, err := file.NewParquetReader(f, file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer pr.Close()
	info = &FileInfo{Path: path, Rows: pr.NumRows(), RowGroups: pr.NumRowGroups(), Metadata: map[string]string{}}
	for _, kv := range pr.MetaData().KeyValueMetadata() {
		if kv.Value != nil {
			info.Metadata[kv.Key] = *kv.Value
		}
	}
	fr, err := newArrowReader(path, pr, pqarrow.ArrowReadProperties{})
	if err != nil {
		return nil, err
	}
	schema, err := fr.Schema()
	if err != nil {
		return nil, fmt.Errorf("read %s schema: %w", path, err)
	}
	for _, fld := range schema.Fields() {
		info.Fields = append(info.Fields, fld.Name+": "+fld.Type.String())
	}
	return info, nil
}

// Inspect prints a run directory for a quick look: the manifest, the schema of the paths
// dataset and of the bands, row counts per file, and the summary table.
func Inspect(dir string, w io.Writer) error {
	m, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "run %s\n", dir)
	tw := table.New(w, 0)
	version := m.Version // none recorded: no line
	if version != "" {
		version = ShowVersion(version)
	}
	for _, kv := range [][2]string{
		{"status", m.Status}, {"scenario", m.Scenario}, {"seed", strconv.FormatUint(m.Seed, 10)},
		{"paths", strconv.FormatInt(m.Paths, 10)}, {"policies", strings.Join(m.Policies, ", ")},
		{"days", strconv.Itoa(m.Days)}, {"chunk size", strconv.Itoa(m.ChunkSize)},
		{"version", version}, {"written by", ShowVersions(m.Versions)},
		{"schema version", strconv.Itoa(m.SchemaVersion)},
		{"created", m.Created}, {"finished", m.Finished}, {"command", m.Command}, {"error", m.Error},
	} {
		if kv[1] != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", kv[0], printable.Line(kv[1])) // a hand-edited manifest's control characters escaped
		}
	}
	tw.Flush()

	parts, err := PartFiles(dir)
	if err != nil {
		return err
	}
	var rows int64
	var first *FileInfo
	ids := partIdentities(dir)
	fmt.Fprintf(w, "\n%s/ (%d parts)\n", PathsDir, len(parts))
	for _, p := range parts {
		info, err := StatFile(p)
		if err != nil {
			return err
		}
		if e, ok := ids[p]; ok {
			if why := foreignPart(info.Metadata, e); why != "" {
				return fmt.Errorf("%s %s: check the run with backstop verify %s", p, why, shellquote.Path(dir))
			}
		}
		if first == nil {
			first = info
		}
		rows += info.Rows
		fmt.Fprintf(w, "  %s\t%d rows\n", filepath.Base(p), info.Rows)
	}
	fmt.Fprintf(w, "  total %d rows (%d paths x %d policies expected: %d)\n", rows, m.Paths, len(m.Policies), m.Paths*int64(len(m.Policies)))
	fmt.Fprintln(w, "  schema:")
	for _, f := range first.Fields {
		fmt.Fprintf(w, "    %s\n", f)
	}
	if bands, err := StatFile(filepath.Join(dir, BandsFile)); err == nil {
		fmt.Fprintf(w, "\n%s: %d rows\n", BandsFile, bands.Rows)
		if m.Bands != nil {
			fmt.Fprintf(w, "  quantiles: %s\n", m.Bands.Words())
			estimate := ""
			if m.Bands.MCError != nil {
				estimate = " (an estimate: half a two-standard-error bracket, relative to the largest value of that policy's band of the series)"
			}
			fmt.Fprintf(w, "  Monte Carlo error: %s%s\n", m.Bands.ErrorWords(), estimate)
		}
		fmt.Fprintln(w, "  schema:")
		for _, f := range bands.Fields {
			fmt.Fprintf(w, "    %s\n", f)
		}
	} else {
		fmt.Fprintf(w, "\n%s: %v\n", BandsFile, err)
	}
	summary, err := ReadSummaryCSV(filepath.Join(dir, SummaryFile))
	if err != nil {
		fmt.Fprintf(w, "\n%s: %v\n", SummaryFile, err)
		return nil
	}
	fmt.Fprintf(w, "\n%s:\n", SummaryFile)
	return PrintSummary(w, summary)
}

// ReadSummaryCSV reads a summary.csv written by WriteSummaryCSV.
func ReadSummaryCSV(path string) ([]SummaryRow, error) {
	f, err := regular.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(recs) == 0 || len(recs[0]) != len(summaryHeader) {
		return nil, fmt.Errorf("%s: expected the header %v", path, summaryHeader)
	}
	var rows []SummaryRow
	for i, rec := range recs[1:] {
		var row SummaryRow
		for c, col := range summaryColumns {
			var err error
			switch {
			case col.text != nil:
				*col.text(&row) = rec[c]
			case col.number != nil:
				*col.number(&row), err = strconv.ParseFloat(rec[c], 64)
			default:
				row.N, err = strconv.ParseInt(rec[c], 10, 64)
			}
			if err != nil {
				return nil, fmt.Errorf("%s line %d column %s: %w", path, i+2, col.name, err)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
