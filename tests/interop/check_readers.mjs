// Reads every Parquet file under the given run and sweep directories with four readers
// independent of backstop's writer (Arrow Go) and compares each with the Go side:
//   - arrow-rs, the Rust Parquet library behind DataFusion and delta-rs (npm parquet-wasm,
//     its tables handed over as Arrow IPC to apache-arrow);
//   - hyparquet, a pure JavaScript reader (with hyparquet-compressors for zstd);
//   - DuckDB (@duckdb/node-api);
//   - Polars (nodejs-polars).
// The reference is the Go side's dump of the same files (tests/interop/godump: the rows as
// Arrow Go reads them back): every reader must give the same row count, column names and
// every value (NaN equal to NaN, -0 distinct from +0). From hyparquet, which exposes the
// raw footer, it also checks the root schema element (no repetition), every column
// chunk's statistics against the data of its row group (null_count equal to the nulls,
// min_value and max_value equal to the smallest and largest non-null value, no
// distinct_count other than the true one) and the backstop.* footer metadata; from
// parquet-wasm the footer metadata as arrow-rs reads it.
// A reader that aborts Node (as hyparquet did on some files of Arrow Go v17) fails the
// check with the file named on the line before.
// Usage: node check_readers.mjs GODUMP DIR...   (GODUMP: the built tests/interop/godump)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import pl from 'nodejs-polars';
import { initSync, ParquetFile, readParquet } from 'parquet-wasm/esm';

const [godump, ...dirs] = process.argv.slice(2);
if (!godump || dirs.length === 0) {
  console.error('usage: node check_readers.mjs GODUMP DIR...');
  process.exit(2);
}
// parquet-wasm's Node build is CommonJS inside an ES-module package (it does not load);
// its ES-module build loads given the WebAssembly bytes.
const require = createRequire(import.meta.url);
initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${name}: ${detail}`);
  }
}

// Every *.parquet under dir, in a stable order.
function parquetFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.parquet') && !basename(f).startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}
const files = dirs.flatMap(parquetFiles);
const kindOf = (f) => (basename(dirname(f)) === 'paths' ? 'part' : basename(f));
const kinds = new Set(files.map(kindOf));
for (const k of ['part', 'bands.parquet', 'convergence.parquet', 'sweep.parquet']) {
  check(`some ${k} among the files`, kinds.has(k), [...kinds].join(', '));
}

const reference = JSON.parse(execFileSync(godump, files, { maxBuffer: 1 << 30, encoding: 'utf8' }));
const fromJSON = { NaN: NaN, '+Inf': Infinity, '-Inf': -Infinity };
for (const t of Object.values(reference)) {
  for (const c of t.columns) {
    if (c.kind === 'float') c.values = c.values.map((v) => (typeof v === 'string' ? fromJSON[v] : v));
  }
}

// norm makes one reader's value comparable with the Go side's: integers as numbers
// (bigint where the reader gives int64 so, checked to be exact), nulls as null.
function norm(v) {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') {
    const n = Number(v);
    return BigInt(n) === v ? n : `bigint ${v} beyond 2^53`;
  }
  return v;
}
const same = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Object.is(a, b) : a === b);
const show = (v) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : JSON.stringify(v));

// compare checks a reader's columns (name -> array of values) against the Go side's.
function compare(reader, file, want, rows, columns) {
  const at = `${reader} ${file}`;
  check(`${at}: rows`, rows === want.rows, `${rows}, the Go side ${want.rows}`);
  const names = Object.keys(columns);
  const wantNames = want.columns.map((c) => c.name);
  check(`${at}: columns`, JSON.stringify(names) === JSON.stringify(wantNames), `${names} vs ${wantNames}`);
  for (const c of want.columns) {
    const got = columns[c.name];
    if (!got) continue;
    let bad = -1;
    for (let i = 0; i < c.values.length; i++) {
      if (!same(norm(got[i]), c.values[i])) {
        bad = i;
        break;
      }
    }
    check(`${at}: ${c.name} values`, got.length === c.values.length && bad < 0,
      bad < 0 ? `${got.length} values, the Go side ${c.values.length}` : `row ${bad}: ${show(got[bad])}, the Go side ${show(c.values[bad])}`);
  }
}

// Column bounds the way Parquet orders them: numbers by value (NaN left out), strings
// by their UTF-8 bytes (JavaScript compares UTF-16 units, which agrees for our ASCII).
function bounds(values) {
  let nulls = 0;
  let lo;
  let hi;
  const distinct = new Set();
  for (const v of values) {
    if (v === null) {
      nulls++;
      continue;
    }
    distinct.add(v);
    if (typeof v === 'number' && Number.isNaN(v)) continue;
    if (lo === undefined || v < lo) lo = v;
    if (hi === undefined || v > hi) hi = v;
  }
  return { nulls, lo, hi, distinct: distinct.size };
}

// checkStatistics checks hyparquet's view of the footer of file against the Go side.
function checkStatistics(file, md, want) {
  const at = `hyparquet ${file}`;
  check(`${at}: root schema element without repetition`, md.schema[0].repetition_type === undefined, md.schema[0].repetition_type);
  const kv = Object.fromEntries((md.key_value_metadata ?? []).map(({ key, value }) => [key, value]));
  for (const [k, v] of Object.entries(want.metadata)) {
    if (k.startsWith('backstop.')) check(`${at}: footer ${k}`, kv[k] === v, `${kv[k]}, the Go side ${v}`);
  }
  let row = 0;
  md.row_groups.forEach((rg, g) => {
    const n = Number(rg.num_rows);
    rg.columns.forEach((cc, c) => {
      const col = want.columns[c];
      const name = cc.meta_data.path_in_schema.join('.');
      const where = `${at}: row group ${g}, column ${name}`;
      check(`${where}: the Go side's column`, col && col.name === name, col && col.name);
      if (!col) return;
      const s = cc.meta_data.statistics;
      check(`${where}: statistics present`, s !== undefined, 'none');
      if (!s) return;
      const b = bounds(col.values.slice(row, row + n));
      check(`${where}: null_count`, s.null_count !== undefined && Number(s.null_count) === b.nulls, `${s.null_count}, the data has ${b.nulls} nulls`);
      check(`${where}: distinct_count absent or true`, s.distinct_count === undefined || Number(s.distinct_count) === b.distinct,
        `${s.distinct_count}, the data has ${b.distinct} distinct values`);
      if (b.lo === undefined) {
        check(`${where}: no bounds for a column without values`, s.min_value === undefined && s.max_value === undefined, `${show(s.min_value)}..${show(s.max_value)}`);
        return;
      }
      // A zero bound may be written as -0 or +0 (the spec asks for -0 and +0): compare by value.
      const eq = (a, w) => (typeof w === 'number' ? norm(a) === w : norm(a) === w);
      for (const [key, w] of [['min_value', b.lo], ['max_value', b.hi], ['min', b.lo], ['max', b.hi]]) {
        if (s[key] === undefined && (key === 'min' || key === 'max')) continue; // deprecated fields are optional
        check(`${where}: ${key}`, eq(s[key], w), `${show(s[key])}, the data's ${show(w)}`);
      }
    });
    row += n;
  });
  check(`${at}: row groups hold the rows`, row === want.rows, `${row} vs ${want.rows}`);
}

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const counts = { 'arrow-rs': 0, hyparquet: 0, duckdb: 0, polars: 0 };
for (const file of files) {
  const name = file;
  const want = reference[file];
  const bytes = readFileSync(file);
  console.log(`read ${name}`); // the file a reader that aborts Node was reading

  // arrow-rs, via parquet-wasm: the rows, and the footer metadata as arrow-rs decodes it.
  try {
    const table = tableFromIPC(readParquet(new Uint8Array(bytes)).intoIPCStream());
    const cols = Object.fromEntries(table.schema.fields.map((f) => [f.name, [...table.getChild(f.name)]]));
    compare('arrow-rs', name, want, table.numRows, cols);
    const pf = await ParquetFile.fromFile(new Blob([bytes]));
    const kv = pf.metadata().fileMetadata().keyValueMetadata();
    check(`arrow-rs ${name}: footer backstop.created`, kv.get('backstop.created') === want.metadata['backstop.created'], kv.get('backstop.created'));
    counts['arrow-rs']++;
  } catch (e) {
    check(`arrow-rs ${name}: opens`, false, String(e));
  }

  // hyparquet: the rows, the raw footer and its statistics.
  try {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const md = parquetMetadata(ab);
    const rows = await parquetReadObjects({ file: ab, compressors });
    const cols = Object.fromEntries(want.columns.map((c) => [c.name, rows.map((r) => r[c.name])]));
    if (rows.length > 0) Object.keys(rows[0]).forEach((k) => { if (!(k in cols)) cols[k] = rows.map((r) => r[k]); });
    compare('hyparquet', name, want, rows.length, cols);
    checkStatistics(name, md, want);
    counts.hyparquet++;
  } catch (e) {
    check(`hyparquet ${name}: opens`, false, String(e));
  }

  // DuckDB.
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
    compare('duckdb', name, want, reader.currentRowCount, reader.getColumnsObjectJS());
    counts.duckdb++;
  } catch (e) {
    check(`duckdb ${name}: opens`, false, String(e));
  }

  // Polars.
  try {
    const df = pl.readParquet(file);
    const cols = Object.fromEntries(df.columns.map((c) => [c, df.getColumn(c).toArray()]));
    compare('polars', name, want, df.height, cols);
    counts.polars++;
  } catch (e) {
    check(`polars ${name}: opens`, false, String(e));
  }
}
for (const [reader, n] of Object.entries(counts)) {
  check(`${reader} read every file`, n === files.length, `${n} of ${files.length}`);
}
console.log(`readers interop: ${files.length} files (${[...kinds].sort().join(', ')}) x ${Object.keys(counts).join(', ')}: ${passed} checks passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
