#!/usr/bin/env bash
# Times the Go simulator against the NumPy reference on the same number of paths.
#
#   bench/compare.sh [N]        N paths, default 100000; seed 1 for both
#
# Environment: BIN (default bin/backstop, built by `make build`), PYTHON (default: the
# first of /usr/bin/python3, python3 that imports numpy), WORKERS (passed to backstop run
# --workers; default all cores), CHUNK (passed to numpy_ref.py --chunk; default its own,
# 100000 paths; 10000 is faster on small caches). Peak RSS is printed when GNU time
# (/usr/bin/time) exists.
#
# The two do not do the same work: `backstop run` also writes the per-path Parquet files,
# the day-by-day bands, the summary and the figures, while numpy_ref.py only computes the
# summary statistics. The Go timing is therefore an upper bound on the simulation alone.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
BIN=${BIN:-bin/backstop}
case $N in '' | *[!0-9]*) echo "compare.sh: N must be a positive integer, got '$N'" >&2; exit 2 ;; esac

if [ ! -x "$BIN" ]; then
	echo "compare.sh: $BIN not found or not executable; run 'make build' or set BIN" >&2
	exit 1
fi
if [ -z "${PYTHON:-}" ]; then
	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import numpy' 2>/dev/null; then PYTHON=$py; break; fi
	done
fi
if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
	echo "compare.sh: no Python with numpy (apt-get install python3-numpy, or set PYTHON)" >&2
	exit 1
fi

TMP=$(mktemp -d /tmp/backstop-compare.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

GNUTIME=
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then GNUTIME=/usr/bin/time; fi

# timed NAME CMD...: runs CMD with stdout to $TMP/NAME.out; sets WALL (seconds) and RSS (MiB or "n/a").
timed() {
	local name=$1
	shift
	local t0 t1
	local rc=0
	t0=$(date +%s.%N)
	if [ -n "$GNUTIME" ]; then
		"$GNUTIME" -v -o "$TMP/$name.time" "$@" >"$TMP/$name.out" || rc=$?
	else
		"$@" >"$TMP/$name.out" || rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		echo "compare.sh: $name failed with exit status $rc: $*" >&2
		tail -n 20 "$TMP/$name.out" >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	RSS=n/a
	if [ -n "$GNUTIME" ]; then
		RSS=$(awk -F': *' '/Maximum resident set size/ { printf "%.0f MiB", $2 / 1024 }' "$TMP/$name.time")
	fi
}

GO_ARGS=(run --paths "$N" --seed 1 --out "$TMP/go-out" --quiet)
if [ -n "${WORKERS:-}" ]; then GO_ARGS+=(--workers "$WORKERS"); fi

echo "compare: $N paths x 3 policies, seed 1, $(nproc) CPUs"
echo "  go:    $BIN ${GO_ARGS[*]}"
timed go "$BIN" "${GO_ARGS[@]}"
GO_WALL=$WALL GO_RSS=$RSS

NP_ARGS=(bench/numpy_ref.py --paths "$N" --seed 1)
if [ -n "${CHUNK:-}" ]; then NP_ARGS+=(--chunk "$CHUNK"); fi
echo "  numpy: $PYTHON ${NP_ARGS[*]} ($("$PYTHON" -c 'import numpy; print("numpy", numpy.__version__)'))"
timed numpy "$PYTHON" "${NP_ARGS[@]}" --json "$TMP/numpy.json" --quiet
NP_WALL=$WALL NP_RSS=$RSS

awk -v n="$N" -v g="$GO_WALL" -v p="$NP_WALL" -v gr="$GO_RSS" -v pr="$NP_RSS" 'BEGIN {
	printf "\n%-8s %10s %14s %12s\n", "", "wall (s)", "paths/s", "peak RSS"
	printf "%-8s %10.2f %14.0f %12s\n", "go", g, n / g, gr
	printf "%-8s %10.2f %14.0f %12s\n", "numpy", p, n / p, pr
	printf "\nratio numpy/go wall time: %.2f\n", p / g
}'
echo "(go: whole run incl. Parquet, bands, figures; numpy: simulation and summary only)"
