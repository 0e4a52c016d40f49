#!/usr/bin/env bash
# Capture CPU per packet and loss: pcapunit's Capture against tcpdump -w on the same loopback UDP
# flood from several sender processes, rate after rate, the tools alternating, several rounds
# (issue 15: <= 1.0x tcpdump's CPU per packet, no loss where tcpdump loses none). Needs root,
# tcpdump and capinfos.
# Usage: scripts/bench-cpu.sh [rates/s, 0 = unpaced; default 1000,10000,50000,100000,200000,400000,0]
#                             [seconds per run, default 2] [rounds, default 3] [sender processes, default 2]
#                             [kernel buffer KiB for both tools, default 32768 = pcapunit's default]
#                             [pcapunit's CaptureSpec.readTimeout ms, default 10 = the library's; on lo the
#                              engine's kernel read timeout is 1000 ms either way, like tcpdump's]
# Prints one line per run, a summary per rate and the load average before and after; copy them
# into BENCHMARKS.md "Capture CPU per packet".
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in tcpdump capinfos; do
  command -v "$tool" >/dev/null || { echo "bench-cpu: $tool is missing: apt-get install tcpdump tshark" >&2; exit 1; }
done
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-cpu-classpath.txt"
cp="core/$dir/classes:it/$dir/test-classes:$(cat "core/$dir/bench-cpu-classpath.txt")"
native=""
if java -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then native="--enable-native-access=ALL-UNNAMED"; fi
out="it/$dir/bench-cpu"
rm -rf "$out" && mkdir -p "$out"
echo "# $(uname -srm), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
echo "# $(tcpdump --version 2>&1 | head -2 | tr '\n' ' ')"
echo "# before: $(uptime)"
# shellcheck disable=SC2086
java $native -Xmx256m ${BENCH_CAPTURER_OPTS:+"-Dbench.capturerOpts=$BENCH_CAPTURER_OPTS"} -cp "$cp" io.github.pcapunit.it.bench.CaptureCpuBench \
  "${1:-1000,10000,50000,100000,200000,400000,0}" "${2:-2}" "${3:-3}" "${4:-2}" "${5:-32768}" "${6:-10}" "$out"
rm -rf "$out"
echo "# after: $(uptime)"
