// Reads a backstop run directory with DuckDB (an independent Parquet reader) and checks
// types, row counts, dictionary strings, footer metadata and values against what the Go
// side wrote (manifest.json and summary.csv). Given SINGLE_DIR too, a run of the same
// config, seed and paths written as one part, it also checks that the many-part dataset
// read through its glob is the same table as the single part.
// Usage: node check_duckdb.mjs RUN_DIR [SINGLE_DIR]
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const [dir, singleDir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node check_duckdb.mjs RUN_DIR [SINGLE_DIR]');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const summary = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n').slice(1)
  .map((line) => line.split(','))
  .map(([policy, metric, unit, n, mean]) => ({ policy, metric, n: Number(n), mean: Number(mean) }));

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const q = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
const paths = `read_parquet('${join(dir, 'paths', '*.parquet')}')`;
const bands = `read_parquet('${join(dir, 'bands.parquet')}')`;

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}: ${detail}`);
  }
}

// Types: no unsigned integers, no nanosecond timestamps, the expected logical types.
const schema = await q(`DESCRIBE SELECT * FROM ${paths}`);
const types = Object.fromEntries(schema.map((r) => [r.column_name, r.column_type]));
const bad = schema.filter((r) => /^U(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$|TIMESTAMP_NS/.test(r.column_type));
check('no unsigned or nanosecond-timestamp columns', bad.length === 0, JSON.stringify(bad));
check('path is BIGINT', types.path === 'BIGINT', types.path);
check('policy is a string', types.policy === 'VARCHAR', types.policy);
for (const c of ['funds_defaulted', 'days_dysfunction', 'spv_closed_day']) {
  check(`${c} is INTEGER`, types[c] === 'INTEGER', types[c]);
}
for (const c of ['peak_basis_bp', 'forced_sales_bn', 'cb_pnl_bn']) {
  check(`${c} is DOUBLE`, types[c] === 'DOUBLE', types[c]);
}
// The Go side's own schema, as `backstop inspect` prints it: the same columns in the same order.
const inspect = execFileSync(process.env.BIN || 'bin/backstop', ['inspect', dir], { encoding: 'utf8' });
const goColumns = inspect.split('\n  schema:\n')[1].split('\n')
  .filter((l) => /^    \w+: /.test(l)).map((l) => l.trim().split(':')[0]);
check(`columns as the Go schema (${goColumns.length})`,
  JSON.stringify(schema.map((r) => r.column_name)) === JSON.stringify(goColumns),
  `${schema.map((r) => r.column_name)} vs ${goColumns}`);

// Row counts and dictionary strings.
const [{ n }] = await q(`SELECT count(*)::BIGINT AS n FROM ${paths}`);
const want = manifest.paths * manifest.policies.length;
check('row count = paths x policies', Number(n) === want, `${n} vs ${want}`);
const [{ k }] = await q(`SELECT count(DISTINCT path)::BIGINT AS k FROM ${paths}`);
check('every path present once per policy', Number(k) === manifest.paths, `${k} distinct paths`);
const pol = (await q(`SELECT DISTINCT policy FROM ${paths} ORDER BY policy`)).map((r) => r.policy);
check('policy strings', JSON.stringify(pol) === JSON.stringify([...manifest.policies].sort()), JSON.stringify(pol));
const parts = (await q(`SELECT count(*)::BIGINT AS c FROM glob('${join(dir, 'paths', '*.parquet')}')`))[0].c;
check('parts on disk = manifest parts', Number(parts) === manifest.parts.length, `${parts} vs ${manifest.parts.length}`);

const [{ b }] = await q(`SELECT count(*)::BIGINT AS b FROM ${bands}`);
check('bands rows = policies x 5 series x days', Number(b) === manifest.policies.length * 5 * manifest.days, b);
const series = (await q(`SELECT DISTINCT series FROM ${bands} ORDER BY 1`)).map((r) => r.series);
check('series strings', JSON.stringify(series) === JSON.stringify(['basis_bp', 'cb_holdings_bn', 'dealer_utilization', 'hf_equity_bn', 'sales_bn']), JSON.stringify(series));
const [{ bad_order }] = await q(`SELECT count(*)::BIGINT AS bad_order FROM ${bands} WHERE NOT (p05 <= p25 AND p25 <= p50 AND p50 <= p75 AND p75 <= p95)`);
check('band quantiles ordered', Number(bad_order) === 0, `${bad_order} rows out of order`);

// Footer metadata: provenance in every file, one creation time for the whole run.
for (const file of [join(dir, 'bands.parquet'), join(dir, 'convergence.parquet'), ...manifest.parts.map((p) => join(dir, p))]) {
  const kv = await q(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${file}')`);
  const md = Object.fromEntries(kv.map((r) => [r.key, r.value]));
  check(`${file}: seed in footer`, md['backstop.seed'] === String(manifest.seed), md['backstop.seed']);
  check(`${file}: paths in footer`, md['backstop.paths'] === String(manifest.paths), md['backstop.paths']);
  check(`${file}: version in footer`, md['backstop.version'] === manifest.version, md['backstop.version']);
  check(`${file}: config in footer`, md['backstop.config'] === manifest.config, 'config differs from manifest');
  check(`${file}: schema version`, md['backstop.schema_version'] === String(manifest.schema_version), md['backstop.schema_version']);
  check(`${file}: created = the manifest's`, md['backstop.created'] === manifest.created, `${md['backstop.created']} vs ${manifest.created}`);
}

// The band subset: the footer of bands.parquet says what manifest.json says.
{
  const kv = await q(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${join(dir, 'bands.parquet')}')`);
  const md = Object.fromEntries(kv.map((r) => [r.key, r.value]));
  const mb = manifest.bands || {};
  check('bands footer: stride = the manifest\'s', md['backstop.band_stride'] === String(mb.stride), `${md['backstop.band_stride']} vs ${mb.stride}`);
  check('bands footer: sample paths = the manifest\'s', md['backstop.band_sample_paths'] === String(mb.sample_paths), `${md['backstop.band_sample_paths']} vs ${mb.sample_paths}`);
  check('bands footer: of paths = the manifest\'s paths drawn', md['backstop.band_of_paths'] === String(mb.of_paths) && mb.of_paths === manifest.paths, `${md['backstop.band_of_paths']} vs ${mb.of_paths}, ${manifest.paths}`);
  check('bands footer: Monte Carlo error = the manifest\'s', Number(md['backstop.band_mc_error']) === mb.mc_error, `${md['backstop.band_mc_error']} vs ${mb.mc_error}`);
}

// Values: per-policy means of three columns equal the Go side's (summary.csv).
for (const metric of ['peak_basis_bp', 'forced_sales_bn', 'funds_defaulted']) {
  const rows = await q(`SELECT policy, avg(${metric}) AS m, count(*)::BIGINT AS c FROM ${paths} GROUP BY policy`);
  for (const r of rows) {
    const go = summary.find((s) => s.policy === r.policy && s.metric === metric);
    const rel = Math.abs(r.m - go.mean) / Math.max(1, Math.abs(go.mean));
    check(`${r.policy} mean ${metric} = Go's`, go && rel < 1e-12 && Number(r.c) === go.n, `duckdb ${r.m}, go ${go && go.mean}`);
  }
}

// Many parts read as one dataset = one part: same schema, same rows in the same order.
if (singleDir) {
  const one = JSON.parse(readFileSync(join(singleDir, 'manifest.json'), 'utf8'));
  const same = one.seed === manifest.seed && one.paths === manifest.paths && one.config === manifest.config;
  check('single-part run has the same config, seed and paths', same, `${singleDir} vs ${dir}`);
  check('single-part run has 1 part, the other several', one.parts.length === 1 && manifest.parts.length > 1,
    `${one.parts.length} and ${manifest.parts.length} parts`);
  const single = `read_parquet('${join(singleDir, 'paths', '*.parquet')}')`;
  // The single part is big enough to be written in several row groups: the comparisons
  // below then also read across row groups, dictionary-encoded policy column included.
  const [{ g }] = await q(`SELECT count(DISTINCT row_group_id)::BIGINT AS g FROM parquet_metadata('${join(singleDir, one.parts[0])}')`);
  check('single part has several row groups', Number(g) > 1, `${g} row groups`);
  const oneSchema = await q(`DESCRIBE SELECT * FROM ${single}`);
  check('dataset schema = single-part schema', JSON.stringify(schema) === JSON.stringify(oneSchema), JSON.stringify(oneSchema));
  const [{ m }] = await q(`SELECT count(*)::BIGINT AS m FROM ${single}`);
  check('dataset row count = single-part row count', Number(m) === Number(n), `${n} vs ${m}`);
  for (const [name, a, b] of [['dataset EXCEPT ALL single part', paths, single], ['single part EXCEPT ALL dataset', single, paths]]) {
    const [{ extra }] = await q(`SELECT count(*)::BIGINT AS extra FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`);
    check(`${name} is empty`, Number(extra) === 0, `${extra} rows`);
  }
  // Order-sensitive: every value of every row, as text, in (path, policy) order.
  const digest = async (src) => (await q(`SELECT md5(string_agg(t::VARCHAR, '\n' ORDER BY path, policy)) AS h FROM ${src} t`))[0].h;
  const [hMany, hOne] = [await digest(paths), await digest(single)];
  check('ORDER BY path, policy: dataset digest = single-part digest', hMany === hOne, `${hMany} vs ${hOne}`);
  // The band subset does not depend on the chunk size: the same quantiles, row for row.
  const quantiles = (d) => `SELECT policy, series, day, p05, p25, p50, p75, p95 FROM read_parquet('${join(d, 'bands.parquet')}')`;
  const [{ diff }] = await q(`SELECT count(*)::BIGINT AS diff FROM (${quantiles(dir)} EXCEPT ALL ${quantiles(singleDir)})`);
  check('band quantiles of the many-part run = the single-part run\'s', Number(diff) === 0 && one.bands.stride === manifest.bands.stride, `${diff} rows differ; strides ${manifest.bands.stride}, ${one.bands.stride}`);
}

console.log(`duckdb interop: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
