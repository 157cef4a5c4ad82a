# backstop: two commands for a newcomer, `make run` and `make test`.
GO       ?= go
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/backstop-research/backstop/results.Version=$(VERSION)
BIN      := bin/backstop

.PHONY: build run test bench vet fmt clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/backstop

# The baseline scenario end to end: Parquet, bands, summary and figures in outputs/baseline.
# A previous baseline run there is replaced.
run: build
	rm -rf outputs/baseline
	$(BIN) run --out outputs/baseline

# gofmt, go vet, then every test (the 20,000-path calibration check included).
test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

# Benchmarks: the simulator, band sketches, Parquet writer and a full run.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 -timeout 30m ./...

clean:
	rm -rf bin outputs/*/
