#!/usr/bin/env bash
# `make bench`: runs every benchmark program the build produced (bench/<area>/bench_*) and prints
# their results. The numbers we keep, with the machine they were measured on, are in
# docs/benchmarks.md.
set -euo pipefail
build=${1:-build/ci}
found=0
while IFS= read -r bench; do
    found=1
    echo "=== $(basename "$bench")"
    NEBULA_BINARY_DIR="$build" NEBULA_SOURCE_DIR="$PWD" QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$bench"
done < <(find "$build/bench" -type f -executable -name 'bench_*' 2>/dev/null | sort)
((found)) || { echo "make bench: no benchmark programs in $build/bench" >&2; exit 1; }
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)"
