# wa-backbone: the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NODE_STAMP := node_modules/.package-lock.json
KAFKA_STAMP := infra/kafka/lib/.fetched
CLI := node dist/services/cli/index.js

.PHONY: help install build run test unit bench replay kafka-start kafka-stop topics schemas-check schemas-lock clean

help:
	@echo "make run    - install what is missing, start a local Kafka and every role (Ctrl-C stops all)"
	@echo "make test   - the whole test suite (unit + integration against a real local broker)"
	@echo "make bench  - the whole system end to end (ingest, latency, history sync, commands, replay) and the codec (about 11 min; BENCH_PARTS=all adds the component benchmarks)"
	@echo "make unit   - unit tests only (no broker)"
	@echo "make replay - rebuild the read models from the log (MODEL=<name>: one alone, MODEL=analytics: the analytics tables; PGlite: stop the projector first)"

install: $(NODE_STAMP) $(KAFKA_STAMP)

# `npm install` follows the lock file as `npm ci` would; `npm ci` refuses it because chdb's
# prebuilt engines for other platforms (optional dependencies) are not on every registry.
$(NODE_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

$(KAFKA_STAMP): infra/kafka/pom.xml
	bash infra/kafka/fetch.sh

build: $(NODE_STAMP)
	rm -rf dist
	npx tsc -p tsconfig.json
	npx tsc -p console/tsconfig.json
	npx vite build --config console/vite.config.ts --logLevel warn

run: install build
	bash infra/run.sh

test: install build
	bash test/run.sh

unit: build
	node --test $$(find dist/services dist/schemas dist/projections -name '*.test.js')

bench: install build
	bash test/bench/run.sh

replay: build
	$(CLI) replay $(if $(MODEL),--model $(MODEL))

kafka-start: $(KAFKA_STAMP)
	bash infra/kafka/start.sh

kafka-stop:
	bash infra/kafka/stop.sh

topics: build
	$(CLI) topics create

schemas-check: build
	$(CLI) schemas check

schemas-lock: build
	$(CLI) schemas lock

clean:
	rm -rf dist
