# Virtuelles Bürgerbüro — build, run and test.
# `make run` and `make test` are the two commands that matter; see README.md.

GO        ?= go
BIN       := bin/buergerbuero
PKGS      := ./...
DATA      ?= ./data
HTTP      ?= 127.0.0.1:8080
BENCHTIME ?= 1x

.PHONY: all build run test deps test-short bench lint vet staticcheck fuzz clean openapi assets assets-check

all: build

build:
	$(GO) build -o $(BIN) ./cmd/buergerbuero

## run: build and start the whole product with demo offices on the embedded node
run: build
	./$(BIN) serve --demo --http $(HTTP) --data $(DATA)

## test: every test, with the race detector; installs what a fresh machine
## lacks for them first (.ci/install-deps: Debian's chromium)
test: deps vet
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

## deps: install the test tools a fresh machine lacks (needs root and apt-get)
deps:
	@./.ci/install-deps

## test-short: the quick loop while developing (no race detector)
test-short:
	$(GO) test -count=1 $(PKGS)

## bench: every benchmark once, printing its figures
bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -benchmem -timeout 30m $(PKGS)

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@latest $(PKGS)

## lint: gofmt, vet and staticcheck
lint: vet staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## fuzz: run every fuzz target for a short while (FUZZTIME=30s)
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## assets: rebuild the web assets (KERN UX from npm, pinned by package-lock.json) into
## adapters/web/static/dist, which is committed so `go build` needs no npm
assets:
	cd adapters/web && npm ci --no-audit --no-fund && npm run build

## assets-check: fail when the committed assets differ from a fresh build
assets-check: assets
	git diff --exit-code -- adapters/web/static/dist adapters/web/browsertest/testdata/axe.min.js

## openapi: regenerate the checked-in API documents in api/
openapi:
	$(GO) run ./cmd/buergerbuero openapi --out api/openapi.yaml
	$(GO) run ./cmd/buergerbuero openapi --asyncapi --out api/asyncapi.yaml

clean:
	rm -rf bin
