# kycq — the two commands a newcomer needs are `make run` and `make test`.
# Both install what the machine lacks first (scripts/setup.sh).
SHELL := /bin/bash
GO ?= go
export PATH := /usr/local/go/bin:$(PATH)
BIN := bin/kycq

.PHONY: run test setup setup-run build vet bench eval-docs eval-face fuzz loadgen clean

## run: install what is missing, build, and run API + workers on embedded defaults
run: setup-run build
	./$(BIN) run $(ARGS)

## test: install what is missing, start Redis/PostgreSQL/versitygw on loopback, run every test
test:
	bash scripts/test.sh

setup-run:
	bash scripts/setup.sh run

setup:
	bash scripts/setup.sh test

build:
	$(GO) build -o $(BIN) ./cmd/kycq

vet:
	$(GO) vet ./...

## bench: every benchmark, short (figures go in docs/)
bench: setup
	$(GO) test -run '^$$' -bench . -benchmem -benchtime=20x ./...

clean:
	rm -rf bin .cache/test.log
