# NebulaOps: the two commands that matter are `make run` and `make test` (see README.md).
#
#   make run     install what is missing, build, start nebula-devserver + nebula-worker + nebula-console
#   make test    install what is missing, configure, build and run every test through ctest
#   make bench   build and run the benchmarks (results: docs/benchmarks.md)
#   make clean   remove the build trees
#
# PRESET selects the CMake preset (dev, release, asan, ci). `ci` is optimised with warnings as
# errors and forced asserts; it is the default so that local runs match CI.

PRESET ?= ci
# ccache: paths relative to the checkout, so that fresh clones (CI) reuse earlier compilations.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all deps configure build run test bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET)

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@scripts/run-stack.sh $(BUILD_DIR)

test: build
	@ctest --preset $(PRESET) -j $(JOBS) $(CTEST_ARGS)

bench: build
	@scripts/run-bench.sh $(BUILD_DIR)

clean:
	rm -rf build
