# backstop: two commands for a newcomer, `make run` and `make test`.
GO       ?= go
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/backstop-research/backstop/results.Version=$(VERSION)
BIN      := bin/backstop

.PHONY: build run test gotest fuzz interop bench slurm clean

# GOEXPERIMENT=simd: the simulator steps 8 paths at a time in AVX-512 vectors where the CPU
# has them (sim/lanes.go; the same results bit for bit), else path by path as without it.
build:
	GOEXPERIMENT=simd $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/backstop

# The baseline scenario end to end: Parquet, bands, summary and figures in outputs/baseline.
# A previous baseline run there is replaced (--force), and the log says which.
run: build
	$(BIN) run --force --out outputs/baseline

# gofmt, go vet, every Go test (the 20,000-path calibration check included; sim, run,
# stats and plots again with GOEXPERIMENT=simd, and the binary so built with and without AVX-512: the
# vector simulator against the scalar one, and its machine code read for legacy-SSE
# instructions in vector code, which Intel CPUs make wait; results again without cgo, whose Parquet pages
# the pure-Go zstd encoder writes), a bounded
# fuzz of the config decoder, then the
# DuckDB interop check of a fresh run.
test: gotest fuzz interop

gotest:
	@unformatted=$$(gofmt -l $$(find . -name '*.go' -not -path './tests/*')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOEXPERIMENT=simd $(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...
	GOEXPERIMENT=simd $(GO) test -count=1 -timeout 10m ./sim ./run ./stats ./internal/vec8 ./plots
	GOEXPERIMENT=simd $(GO) test -count=1 -run 'TestVectorSimulatorMatchesScalar|TestVectorCodeAvoidsLegacySSE' ./cmd/backstop
	CGO_ENABLED=0 $(GO) vet ./results
	CGO_ENABLED=0 $(GO) test -count=1 ./results

# The config, manifest and checkpoint decoders and the check of a footer's Arrow schema
# under go's fuzzer for a bounded number of inputs: no panic (or runaway allocation) on any
# input, every rejection an error naming the file. Budgets are counts of inputs, not
# durations: with a duration, Go 1.26's fuzzing coordinator can fail a target with
# "context deadline exceeded" when the time runs out while a worker is busy (a race in the
# toolchain, golang/go#75804, fixed in Go 1.27), which a loaded machine makes likely. Each
# new interesting input is minimized for at most FUZZMINIMIZE tries (by default, for up to
# 60 s, during which the Arrow schema target made no progress at all). About 10 to 20 s a
# target on 2 cores.
FUZZTIME     ?= 5000x
FUZZMINIMIZE ?= 200x
FUZZFLAGS     = -fuzzminimizetime $(FUZZMINIMIZE)
fuzz:
	$(GO) test ./configs -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) $(FUZZFLAGS)
	$(GO) test ./results -run '^$$' -fuzz '^FuzzDecodeManifest$$' -fuzztime 12000x $(FUZZFLAGS)
	$(GO) test ./results -run '^$$' -fuzz '^FuzzCheckArrowSchema$$' -fuzztime 15000x $(FUZZFLAGS)
	$(GO) test ./run -run '^$$' -fuzz '^FuzzDecodeCheckpoint$$' -fuzztime 15000x $(FUZZFLAGS)

# An independent reader: DuckDB (npm @duckdb/node-api, a binary inside the package,
# installed into the git-ignored tests/interop/node_modules) reads a fresh 4-part run and
# checks types, counts, strings, footer metadata and values against the Go side, and that
# its parts read as one dataset give the same table as the same run written as one part
# (of 36,000 rows, so in two row groups).
# Then arrow-rs (npm parquet-wasm), hyparquet, DuckDB and Polars (nodejs-polars) read every
# Parquet file of a 3-policy run, a 6-policy run and a one-parameter sweep and must give
# the Go side's rows (tests/interop/godump) and valid footer statistics; parquet-go does
# the same from a Go test, again without cgo (whose pages the pure-Go zstd encoder
# writes). npm packages are pinned by tests/interop/package-lock.json.
INTEROP_DIR := $(shell mktemp -u /tmp/backstop-interop.XXXXXX)
interop: build
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	  if [ -n "$$CI" ]; then echo "interop: node and npm are required in CI"; exit 1; fi; \
	  echo "interop: SKIPPED, node/npm not installed (apt-get install nodejs npm)"; exit 0; fi; \
	set -e; \
	[ tests/interop/node_modules/.package-lock.json -nt tests/interop/package-lock.json ] || npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error; \
	$(BIN) run --paths 12000 --chunk-size 3000 --band-paths 3000 --out $(INTEROP_DIR)/parts --quiet > /dev/null; \
	$(BIN) run --paths 12000 --chunk-size 12000 --band-paths 3000 --out $(INTEROP_DIR)/single --quiet > /dev/null; \
	node tests/interop/check_duckdb.mjs $(INTEROP_DIR)/parts $(INTEROP_DIR)/single; \
	$(BIN) run --paths 2000 --chunk-size 1000 --no-figures --out $(INTEROP_DIR)/run3 --quiet > /dev/null; \
	$(BIN) run --config configs/escalation.yaml --paths 2000 --chunk-size 1000 --no-figures --out $(INTEROP_DIR)/run6 --quiet > /dev/null; \
	$(BIN) sweep --config tests/interop/sweep.yaml --out $(INTEROP_DIR)/sweep --format svg --quiet > /dev/null; \
	$(GO) build -o $(INTEROP_DIR)/godump ./tests/interop/godump; \
	node tests/interop/check_readers.mjs $(INTEROP_DIR)/godump $(INTEROP_DIR)/run3 $(INTEROP_DIR)/run6 $(INTEROP_DIR)/sweep; \
	$(GO) test -count=1 ./tests/interop; \
	CGO_ENABLED=0 $(GO) test -count=1 ./tests/interop; \
	rm -rf $(INTEROP_DIR)

# Benchmarks, built as the binary is (GOEXPERIMENT=simd; the lockstep simulator's
# benchmarks time its scalar and vector kernels side by side): the simulator, band
# sketches, Parquet writer, a full run, a summary-only evaluation and the figures; then
# the binary, the summary-only evaluation, the Numba and the NumPy speed peers side by
# side on 100,000 paths (needs python3-numpy and python3-numba).
bench: build
	GOEXPERIMENT=simd $(GO) test -run '^$$' -bench . -benchmem -count 1 -timeout 30m ./...
	bench/compare.sh

# A real one-node Slurm (installs slurm-wlm and munge; needs root or sudo, else skipped):
# a 4-task array job and its dependent merge must equal the single-process run.
slurm:
	bash tests/slurm/run.sh

clean:
	rm -rf bin outputs/*/
