# chatdojo — the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
FUZZTIME ?= 30s
BENCHTIME ?= 1s

.PHONY: run test lint generate bench fuzz build eval

## run: practise a built-in scenario in the terminal (the web app comes later)
run:
	$(GO) run ./cmd/chatdojo practice

## build: build the chatdojo binary into ./bin
build:
	$(GO) build -o bin/chatdojo ./cmd/chatdojo

## test: lint, then every test with the race detector, with the services they need
## (a throwaway PostgreSQL, Chromium) started by scripts/with-services
test: lint
	scripts/with-services $(GO) test -race -timeout 30m ./...

## lint: gofmt, go vet, and generated code up to date
lint:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## generate: regenerate generated code
generate:
	$(GO) generate ./...

## bench: benchmarks (speed targets are measured here, never in tests)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 -benchtime $(BENCHTIME) ./...

## fuzz: run the fuzz targets, $(FUZZTIME) each
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzParseScript$$' -fuzztime $(FUZZTIME) ./simulator
	$(GO) test -run '^$$' -fuzz '^FuzzClassify$$' -fuzztime $(FUZZTIME) ./grading/moves

## eval: the moves classifier on its tuning and held-out sets; the grader's mechanism
## F1s and pair accuracy on its labelled set
eval:
	$(GO) test -count=1 -v -run '^Test(LabelledSet|HeldoutSet)$$' ./grading/moves
	$(GO) test -count=1 -v -run '^TestEval$$' ./grading
