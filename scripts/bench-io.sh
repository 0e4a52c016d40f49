#!/usr/bin/env bash
# File IO: pcap -> pcapng conversion in-process vs `editcap -F pcapng` on a >= 1 M-packet file,
# and header-walk rate of PcapReader over the pcap and the pcapng. Needs editcap, capinfos.
# Usage: scripts/bench-io.sh [packets, default 1000000] [runs, default 5]
# Prints a table; copy it into BENCHMARKS.md "File IO".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-classpath.txt"
cp="core/$dir/classes:it/$dir/test-classes:$(cat "core/$dir/bench-classpath.txt")"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(java -version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xms1g -Xmx1g -cp "$cp" io.github.pcapunit.it.bench.PcapIoBench "${1:-1000000}" "${2:-5}" "it/$dir/io"
