#!/usr/bin/env bash
# @CaptureTraffic overhead per test vs spawning tcpdump -w per test and stopping it; tail completeness.
# 200 short tests per suite, run through the JUnit Platform Launcher in one JVM; needs root, tcpdump.
# Usage: scripts/bench-junit.sh [rounds, default 3]
# Prints a table; copy it into BENCHMARKS.md "JUnit extension".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
# One reactor build: sibling modules resolve to their compiled classes; "it" writes the file last.
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl it -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/it/$dir/bench-junit-classpath.txt"
cp="it/$dir/test-classes:$(cat "it/$dir/bench-junit-classpath.txt")"
native=""
if java -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then native="--enable-native-access=ALL-UNNAMED"; fi
out="it/$dir/junit-overhead"
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2086
java $native -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "$cp" io.github.pcapunit.it.bench.JunitOverheadBench "${1:-3}" "$out"
