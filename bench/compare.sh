#!/usr/bin/env bash
# Times the Go binary against the Numba and NumPy references, side by side, on the same
# number of paths and the same seed.
#
#   bench/compare.sh [N]        N paths, default 100000; seed 1 for all
#
# Environment: BIN (default bin/backstop, built by `make build`), PYTHON (default: the
# first of /usr/bin/python3, python3 that imports numpy and numba), WORKERS (backstop run
# --workers and numba_ref.py --threads; default all cores), ROUNDS (default 1: rounds of
# all commands, interleaved; with more, each figure is the median over rounds, and the
# full-output speed against numba's process is also given round by round), CHUNK
# (numpy_ref.py --chunk; default its own). Peak RSS is printed when GNU time
# (/usr/bin/time) exists.
#
# The commands do not do the same work:
#   go --no-figures  the whole run: per-path Parquet parts, checkpoints, day-by-day bands,
#                    summary, effects, convergence and manifest; no figures
#   go               the same plus the figures (PNG and PDF)
#   numba            per-path metrics in memory (numba_ref.py), then their mean, sd and
#                    quantiles; the process wall time includes Python's start-up and
#                    loading the compiled kernel from numba's cache (warmed before the
#                    first round; the compile time is printed apart), "numba kernel" is
#                    the simulation alone by its own timer
#   numpy            numpy_ref.py: simulation and summary in memory
#   go summary-only  bench/summaryonly: the summary-only evaluation explore and calibrate
#                    run for each point (evaluate.Run: every metric's mean, interval,
#                    median, 95th percentile and the paired effects, in memory), timed by
#                    its own clock, beside numba's kernel plus its NumPy summary
#                    ("numba evaluation", its own clock too): neither counts start-up
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
BIN=${BIN:-bin/backstop}
ROUNDS=${ROUNDS:-1}
case $N in '' | *[!0-9]*) echo "compare.sh: N must be a whole number of paths, at least 2, got '$N'" >&2; exit 2 ;; esac
if [ "$N" -lt 2 ]; then echo "compare.sh: N must be a whole number of paths, at least 2, got '$N'" >&2; exit 2; fi
case $ROUNDS in '' | *[!0-9]* | 0) echo "compare.sh: ROUNDS must be a positive integer, got '$ROUNDS'" >&2; exit 2 ;; esac

if [ ! -x "$BIN" ]; then
	echo "compare.sh: $BIN not found or not executable; run 'make build' or set BIN" >&2
	exit 1
fi
if [ -z "${PYTHON:-}" ]; then
	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import numpy, numba' 2>/dev/null; then PYTHON=$py; break; fi
	done
fi
if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import numpy, numba' 2>/dev/null; then
	echo "compare.sh: no Python with numpy and numba (apt-get install python3-numpy python3-numba, or set PYTHON)" >&2
	exit 1
fi

TMP=$(mktemp -d /tmp/backstop-compare.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
# numba's compiled kernels: kept across runs of this script, out of the source tree.
export NUMBA_CACHE_DIR=${NUMBA_CACHE_DIR:-${TMPDIR:-/tmp}/backstop-numba-cache}

GNUTIME=
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then GNUTIME=/usr/bin/time; fi

# timed NAME CMD...: runs CMD with stdout to $TMP/NAME.out; appends its wall time (s) to
# $TMP/NAME.wall, and its CPU time (user + system, s) and peak RSS (MiB) to $TMP/NAME.cpu
# and $TMP/NAME.rss.
timed() {
	local name=$1
	shift
	local t0 t1
	local rc=0
	t0=$(date +%s.%N)
	if [ -n "$GNUTIME" ]; then
		"$GNUTIME" -v -o "$TMP/$name.time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
	else
		"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
	fi
	t1=$(date +%s.%N)
	if [ "$rc" -ne 0 ]; then
		echo "compare.sh: $name failed with exit status $rc: $*" >&2
		tail -n 20 "$TMP/$name.out" "$TMP/$name.err" >&2
		exit 1
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$TMP/$name.wall"
	if [ -n "$GNUTIME" ]; then
		awk -F': *' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$TMP/$name.time" >>"$TMP/$name.rss"
		awk -F': *' '/(User|System) time \(seconds\)/ { cpu += $2 } END { printf "%.2f\n", cpu }' "$TMP/$name.time" >>"$TMP/$name.cpu"
	fi
}

# median FILE: the median of the numbers in FILE, one a line ("n/a" when it is missing).
median() {
	if [ ! -s "$1" ]; then echo n/a; return; fi
	sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# jsonfield FILE KEY: a top-level number from a reference's JSON output.
jsonfield() { "$PYTHON" -c 'import json, sys; print("%.3f" % json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

GO_ARGS=(run --paths "$N" --seed 1 --quiet --force)
SO_ARGS=(--paths "$N" --seed 1)
NB_ARGS=(bench/numba_ref.py --paths "$N" --seed 1 --quiet)
NP_ARGS=(bench/numpy_ref.py --paths "$N" --seed 1 --quiet)
if [ -n "${WORKERS:-}" ]; then GO_ARGS+=(--workers "$WORKERS"); SO_ARGS+=(--workers "$WORKERS"); NB_ARGS+=(--threads "$WORKERS"); fi
if [ -n "${CHUNK:-}" ]; then NP_ARGS+=(--chunk "$CHUNK"); fi

echo "compare: $N paths x 3 policies, seed 1, $(nproc) CPUs, $ROUNDS round(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  go:    $BIN ${GO_ARGS[*]} --out DIR [--no-figures]"
echo "  go summary-only: bench/summaryonly ${SO_ARGS[*]} (built with ${GO:-go} build, GOEXPERIMENT=${GOEXPERIMENT-simd})"
echo "  numba: $PYTHON ${NB_ARGS[*]} ($("$PYTHON" -c 'import numba, numpy; print("numba", numba.__version__, "numpy", numpy.__version__)'))"
echo "  numpy: $PYTHON ${NP_ARGS[*]}"

# The summary-only program, built as the binary is (make build sets GOEXPERIMENT=simd).
GOEXPERIMENT="${GOEXPERIMENT-simd}" "${GO:-go}" build -o "$TMP/summaryonly" ./bench/summaryonly

# Compile numba's kernel (or check its cache) before timing anything.
"$PYTHON" bench/numba_ref.py --paths 1000 --seed 1 --quiet --json "$TMP/numba-warm.json"
echo "  numba compile or cache load: $(jsonfield "$TMP/numba-warm.json" compile_seconds) s (before the rounds)"

for r in $(seq 1 "$ROUNDS"); do
	timed go-nofig "$BIN" "${GO_ARGS[@]}" --out "$TMP/go-nofig" --no-figures
	timed go-fig "$BIN" "${GO_ARGS[@]}" --out "$TMP/go-fig"
	timed numba "$PYTHON" "${NB_ARGS[@]}" --json "$TMP/numba.json"
	jsonfield "$TMP/numba.json" kernel_seconds >>"$TMP/numba-kernel.wall"
	jsonfield "$TMP/numba.json" kernel_cpu_seconds >>"$TMP/numba-kernel.cpu"
	jsonfield "$TMP/numba.json" wall_seconds >>"$TMP/numba-eval.wall"
	timed go-summary "$TMP/summaryonly" "${SO_ARGS[@]}"
	"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print("%.3f" % d["seconds"]); print("%.3f" % d["cpu_seconds"], file=open(sys.argv[2], "a"))' "$TMP/go-summary.out" "$TMP/go-summary-eval.cpu" >>"$TMP/go-summary-eval.wall"
	timed numpy "$PYTHON" "${NP_ARGS[@]}" --json "$TMP/numpy.json"
	echo "  round $r: go --no-figures $(tail -n1 "$TMP/go-nofig.wall") s, go $(tail -n1 "$TMP/go-fig.wall") s, numba $(tail -n1 "$TMP/numba.wall") s (kernel $(tail -n1 "$TMP/numba-kernel.wall") s, evaluation $(tail -n1 "$TMP/numba-eval.wall") s), go summary-only $(tail -n1 "$TMP/go-summary-eval.wall") s, numpy $(tail -n1 "$TMP/numpy.wall") s"
done

GNF=$(median "$TMP/go-nofig.wall") GF=$(median "$TMP/go-fig.wall")
NB=$(median "$TMP/numba.wall") NBK=$(median "$TMP/numba-kernel.wall") NP=$(median "$TMP/numpy.wall")
GSO=$(median "$TMP/go-summary-eval.wall") NBE=$(median "$TMP/numba-eval.wall")
awk -v n="$N" -v rounds="$ROUNDS" \
	-v gnf="$GNF" -v gf="$GF" -v nb="$NB" -v nbk="$NBK" -v np="$NP" -v gso="$GSO" -v nbe="$NBE" \
	-v cgso="$(median "$TMP/go-summary-eval.cpu")" \
	-v cgnf="$(median "$TMP/go-nofig.cpu")" -v cgf="$(median "$TMP/go-fig.cpu")" \
	-v cnb="$(median "$TMP/numba.cpu")" -v cnbk="$(median "$TMP/numba-kernel.cpu")" -v cnp="$(median "$TMP/numpy.cpu")" \
	-v rgnf="$(median "$TMP/go-nofig.rss")" -v rgf="$(median "$TMP/go-fig.rss")" \
	-v rnb="$(median "$TMP/numba.rss")" -v rnp="$(median "$TMP/numpy.rss")" 'BEGIN {
	printf "\n%-18s %9s %11s %9s %14s\n", (rounds > 1 ? "median of " rounds : ""), "wall (s)", "paths/s", "CPU (s)", "peak RSS (MiB)"
	printf "%-18s %9.2f %11.0f %9s %14s\n", "go --no-figures", gnf, n / gnf, cgnf, rgnf
	printf "%-18s %9.2f %11.0f %9s %14s\n", "go (figures)", gf, n / gf, cgf, rgf
	printf "%-18s %9.2f %11.0f %9s %14s\n", "numba", nb, n / nb, cnb, rnb
	printf "%-18s %9.2f %11.0f %9s %14s\n", "go summary-only", gso, n / gso, cgso, "-"
	printf "%-18s %9.2f %11.0f %9s %14s\n", "numba evaluation", nbe, n / nbe, "-", "-"
	printf "%-18s %9.2f %11.0f %9s %14s\n", "numba kernel", nbk, n / nbk, cnbk, "-"
	printf "%-18s %9.2f %11.0f %9s %14s\n", "numpy", np, n / np, cnp, rnp
	printf "\nspeed of go --no-figures: %.2fx numba (process), %.2fx numba (kernel alone), %.2fx numpy\n", nb / gnf, nbk / gnf, np / gnf
	printf "speed of go summary-only: %.2fx numba evaluation (kernel + summary), %.2fx numba kernel alone\n", nbe / gso, nbk / gso
	printf "speed of go with figures: %.2fx numba (process), %.2fx numpy; figures add %.0f%%\n", nb / gf, np / gf, 100 * (gf / gnf - 1)
	if (cgnf + 0 > 0 && cnb + 0 > 0)
		printf "CPU time, less sensitive to a loaded machine: numba/go --no-figures %.2f (kernel alone %.2f), numpy/go --no-figures %.2f; figures add %.0f%%\n", cnb / cgnf, cnbk / cgnf, cnp / cgnf, 100 * (cgf / cgnf - 1)
}'
# Round by round: within a round both sides ran seconds apart, so the host's drift over the
# series, which moves every median, mostly cancels in each ratio.
if [ "$ROUNDS" -gt 1 ]; then
	paste "$TMP/numba.wall" "$TMP/go-nofig.wall" | awk '{ printf "%.4f\n", $1 / $2 }' >"$TMP/ratio-nofig"
	printf 'round by round, numba (process) / go --no-figures: %s(median %.2fx)\n' \
		"$(awk '{ printf "%.2fx ", $1 }' "$TMP/ratio-nofig")" "$(median "$TMP/ratio-nofig")"
fi
echo "(go: full outputs on disk; numba and numpy: per-path metrics and their summary in memory)"
