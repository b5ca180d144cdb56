# chatdojo — the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
FUZZTIME ?= 30s
BENCHTIME ?= 1s

.PHONY: run practice test lint generate bench benchcost fuzz build eval loadtest test-ollama

ADDR ?= 127.0.0.1:8080
DB   ?= chatdojo.db

## run: the web app on SQLite ($(DB)) with the built-in scenarios, at http://$(ADDR);
## the first start prints a one-time admin sign-in link
run:
	$(GO) run ./cmd/chatdojo serve --addr $(ADDR) --db $(DB)

## practice: practise a built-in scenario in the terminal
practice:
	$(GO) run ./cmd/chatdojo practice

## build: build the chatdojo binary into ./bin
build:
	$(GO) build -o bin/chatdojo ./cmd/chatdojo

## test: lint, then every test with the race detector, with the services they need
## (a throwaway PostgreSQL, Chromium) started by scripts/with-services
test: lint
	scripts/with-services $(GO) test -race -timeout 30m ./...

## lint: gofmt, go vet, and the templ views' generated code up to date
lint:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@tmp=$$(mktemp -d); mkdir -p $$tmp/web; cp -r web/views $$tmp/web/; \
	$(GO) build -o $$tmp/templ github.com/a-h/templ/cmd/templ && \
	(cd $$tmp && ./templ generate -path web/views >/dev/null 2>&1); \
	if ! diff -r -q web/views $$tmp/web/views >/dev/null; then \
		echo "templ generate would change web/views: run make generate and commit the *_templ.go files"; \
		diff -r web/views $$tmp/web/views | head -20; rm -rf $$tmp; exit 1; fi; rm -rf $$tmp

## generate: regenerate the templ views (web/views/*_templ.go)
generate:
	$(GO) tool templ generate -path web/views

## bench: benchmarks (speed targets are measured here, never in tests)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 -benchtime $(BENCHTIME) ./...

## benchcost: the grader against VADER in instructions, mispredicted branches and cache
## misses (valgrind), a reading that a busy machine does not disturb
benchcost:
	scripts/benchcost

## fuzz: run the fuzz targets, $(FUZZTIME) each
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzParseScript$$' -fuzztime $(FUZZTIME) ./simulator
	$(GO) test -run '^$$' -fuzz '^FuzzClassify$$' -fuzztime $(FUZZTIME) ./grading/moves

## eval: the moves classifier on its tuning and held-out sets; the grader's mechanism
## F1s and pair accuracy on its labelled set; with EVAL_MODEL, the model judge's Cohen's
## kappa against the labels and the rules
eval:
	$(GO) test -count=1 -v -run '^Test(LabelledSet|HeldoutSet)$$' ./grading/moves
	$(GO) test -count=1 -v -run '^TestEval$$' ./grading
	@if [ -n "$(EVAL_MODEL)" ]; then EVAL_MODEL=$(EVAL_MODEL) $(GO) test -count=1 -v -timeout 2h -run '^TestJudgeEval$$' ./ollama; \
	else echo "(the model judge's agreement: make eval EVAL_MODEL=llama3.2:3b, with OLLAMA_HOST set)"; fi

## loadtest: $(SESSIONS) concurrent API sessions (a message every 3 s each, for $(DURATION))
## against chatdojo on a throwaway SQLite database on this machine; prints reply latency,
## throughput, errors and lost messages, and fails on any error or lost message
SESSIONS      ?= 500
DURATION      ?= 60s
LOADTEST_PORT ?= 18099
loadtest:
	$(GO) build -o bin/chatdojo ./cmd/chatdojo
	$(GO) build -o bin/loadtest ./cmd/loadtest
	SESSIONS=$(SESSIONS) DURATION=$(DURATION) LOADTEST_PORT=$(LOADTEST_PORT) scripts/loadtest

MODEL ?= llama3.2:3b

## test-ollama: the model tests against your own Ollama server ($$OLLAMA_HOST, default
## http://127.0.0.1:11434) and a real model (MODEL=llama3.2:3b), to check quality where
## weights exist; make test runs them with a generated tiny model
test-ollama:
	@host=$${OLLAMA_HOST:-http://127.0.0.1:11434}; case $$host in http*) ;; *) host=http://$$host;; esac; \
	TEST_OLLAMA_HOST=$$host TEST_OLLAMA_MODEL=$(MODEL) $(GO) test -count=1 -v \
		-run 'Model|Judge|Ollama|HostDown|NoHost' ./ollama ./web ./cmd/chatdojo ./e2e
