#!/usr/bin/env bash
# Kernel evidence benchmarks; needs root.
# Usage: scripts/bench-kernel-evidence.sh [rounds] [connections] [datagrams]
#          overhead of the tracefs recorder on a loopback capture (REQUIRED vs OFF)
#        scripts/bench-kernel-evidence.sh attach [runs]
#          bpftrace's attach time (start to its BEGIN line) for pcapunit's program with BTF offsets
#          and for the cast fallback
#        scripts/bench-kernel-evidence.sh sidecars [rounds]
#          start()/stop() of standalone captures on lo in one JVM, evidence OFF vs AUTO
# Copy the output into BENCHMARKS.md "Kernel evidence".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-classpath.txt"
cp="core/$dir/classes:core/$dir/test-classes:it/$dir/test-classes:$(cat "core/$dir/bench-classpath.txt")"
native=""
if java -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then native="--enable-native-access=ALL-UNNAMED"; fi
echo "# $(date -u +%FT%TZ) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(bpftrace --version 2>/dev/null || echo no bpftrace)"
case "${1:-}" in
  attach)
    runs="${2:-5}"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    java -cp "$cp" io.github.pcapunit.core.capture.internal.kernel.BpfProgramText > "$tmp/offsets.bt"
    java -cp "$cp" io.github.pcapunit.core.capture.internal.kernel.BpfProgramText cast > "$tmp/cast.bt"
    for prog in offsets cast; do
      times=""
      for _ in $(seq "$runs"); do
        s=$(date +%s%N)
        # bpftrace dies of SIGPIPE at its next heartbeat once read stops reading
        timeout 120 bpftrace -B line "$tmp/$prog.bt" 2>/dev/null | while read -r l; do
          case "$l" in READY*) break;; esac
        done || true
        times="$times $(( ($(date +%s%N) - s) / 1000000 ))"
      done
      echo "$prog ($(wc -c < "$tmp/$prog.bt") bytes): attach ms:$times"
    done
    ;;
  sidecars)
    # shellcheck disable=SC2086
    java $native -Xmx512m -cp "$cp" io.github.pcapunit.it.bench.SidecarCostBench "${2:-20}"
    ;;
  *)
    # shellcheck disable=SC2086
    exec java $native -Xmx512m -cp "$cp" io.github.pcapunit.it.bench.KernelEvidenceBench "${1:-3}" "${2:-2000}" "${3:-200000}"
    ;;
esac
