#!/usr/bin/env bash
# Analysis: drop analysis + assertion checks over a >= 1 M-packet pcapng, in a JVM capped at
# -Xmx256m, against `tshark -r FILE -Y "tcp.analysis.retransmission || tcp.flags.reset==1 ||
# icmp.type==3"` on the same file. Needs tshark.
# Usage: scripts/bench-analysis.sh [packets, default 1000000] [runs, default 5]
# Prints the numbers; copy them into BENCHMARKS.md "Analysis".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-classpath.txt"
cp="core/$dir/classes:it/$dir/test-classes:$(cat "core/$dir/bench-classpath.txt")"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(java -version 2>&1 | head -1); $(tshark --version | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx256m -XX:+UseSerialGC -cp "$cp" io.github.pcapunit.it.bench.AnalysisBench "${1:-1000000}" "${2:-5}" "it/$dir/analysis"
