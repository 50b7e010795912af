# kycq — the two commands a newcomer needs are `make run` and `make test`.
# Both install what the machine lacks first (scripts/setup.sh).
SHELL := /bin/bash
GO ?= go
export PATH := /usr/local/go/bin:$(PATH)
BIN := bin/kycq

.PHONY: run test setup setup-run build vet bench eval-docs eval-face face-golden face-weights fuzz fuzz-api loadgen loadtest soak clean

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

## eval-docs: document photo checks, precision/recall per reason code on a generated labelled set (cached in .cache/docs)
eval-docs: setup build
	./$(BIN) eval docs -generate $(EVAL_DOCS_FLAGS) .cache/docs

## fuzz: fuzz the document photo decode path for FUZZTIME (default 60s)
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./imagecheck -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME)

## fuzz-api: fuzz the API's request decoding and the MRZ/ID/contact parsers, FUZZTIME each
fuzz-api:
	$(GO) test ./api -run '^$$' -fuzz '^FuzzCreateRequest$$' -fuzztime $(FUZZTIME)
	$(GO) test ./api -run '^$$' -fuzz '^FuzzMigrationRequest$$' -fuzztime $(FUZZTIME)
	$(GO) test ./kyc/mrz -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./kyc/cnid -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	for f in FuzzNormaliseContact FuzzNormaliseDocument FuzzValidateNumber; do \
		$(GO) test ./kyc -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) || exit 1; done

## eval-face: face-match accuracy (FMR/FNMR, ROC/DET) on real photos rendered into ID cards and selfie videos
eval-face: setup build
	./$(BIN) eval face

## face-golden: rerun face-api's own JavaScript on fixed inputs and rewrite face/testdata/golden.json
face-golden: setup
	mkdir -p .cache/face/ref-node
	cp face/testdata/ref/package.json face/testdata/ref/package-lock.json face/testdata/ref/golden.js .cache/face/ref-node/
	cd .cache/face/ref-node && npm ci --no-audit --no-fund --loglevel=error
	$(GO) test ./face -run '^TestWriteRef$$' -count=1 -write-ref $(CURDIR)/.cache/face/ref-inputs
	node .cache/face/ref-node/golden.js .cache/face/ref-inputs > face/testdata/golden.json.tmp
	mv face/testdata/golden.json.tmp face/testdata/golden.json

## face-weights: re-fetch the face model weights (npm pack @vladmandic/face-api@1.7.15) and verify their sha256
face-weights:
	bash face/model/fetch-weights.sh

## loadtest: throughput and submission→decision latency with 1 and 2 workers on real Redis, PostgreSQL and versitygw (LOADTEST_* tune it; see docs/load.md)
loadtest:
	bash scripts/loadtest.sh

## soak: the long fault runs (KYCQ_SOAK=1): 5 minutes of load with a worker killed or stopped every 5 s, a long Redis outage, Redis losing its data
soak: setup
	source scripts/test-services.sh && KYCQ_SOAK=1 $(GO) test ./internal/systest/faults -count=1 -timeout 40m -v -run '^(TestSoak|TestRedisOutageLong|TestRedisDataLoss)$$'
