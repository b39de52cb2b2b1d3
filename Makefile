# The two commands of README.md: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run test tools tools-test build seed bench clean-data

## Install what is missing, build the release, serve http://127.0.0.1:3000 with the demo conference.
run: build
	DEMO_DATA=$${DEMO_DATA:-auto} MAIL_DIR=$${MAIL_DIR:-data/mail} ./target/release/server

## Install what is missing and run every check and test (what CI runs).
test: tools-test
	.ci/test

tools:
	.ci/install-tools

tools-test:
	.ci/install-tools --test

build: tools
	cargo leptos build --release --precompress --split

## Load the demo conference into the configured database (idempotent).
seed: build
	./target/release/server seed

## Load figures for bench/README.md (needs a release build).
bench: build
	.ci/install-tools --bench
	bench/run
	bench/serving

clean-data:
	rm -rf data
