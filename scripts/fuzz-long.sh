#!/usr/bin/env bash
# Runs every fuzz target of core for [minutes] each (default 10; "30s" for seconds), one after the other, at the
# lowest CPU priority, and prints per target: executions, execs/s, coverage (libFuzzer's cov =
# instrumented edges hit, ft = features) and the corpus size. A finding fails that target's run
# and is written to core/<build dir>/fuzz-reproducers and core/<build dir>/fuzz/.cifuzz-corpus
# (crash-*): copy the input into the target's seed directory under
# core/src/test/resources/io/github/pcapunit/core/fuzz/ so plain `mvnw verify` keeps checking it.
#
#   scripts/fuzz-long.sh            # 10 minutes per target
#   scripts/fuzz-long.sh 2 PcapFileFuzzTest NftTraceFuzzTest   # 2 minutes, two targets
#   JAZZER_KEEP_GOING=50 scripts/fuzz-long.sh 3 BpfLinesFuzzTest  # go on past findings, up to 50 distinct ones
#
# Builds in its own directory (core/target-fuzz-long, or core/$FUZZ_BUILD_DIR) so it can run beside
# other builds. "findings" counts the inputs written as crash-* (distinct by stack trace).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
shift || true
case $minutes in *s|*m|*h) duration=$minutes ;; *) duration=${minutes}m ;; esac
if [ $# -gt 0 ]; then
  targets=("$@")
else
  IFS=, read -r -a targets <<< "$(sed -n 's:.*<pcapunit.fuzz.targets>\(.*\)</pcapunit.fuzz.targets>.*:\1:p' core/pom.xml)"
fi
build=${FUZZ_BUILD_DIR:-target-fuzz-long}
logs=core/$build/fuzz-logs
mvn=(nice -n 19 ./mvnw -B -o -pl core -Dpcapunit.build.directory=$build)
"${mvn[@]}" -q test-compile
mkdir -p "$logs"
printf '%-26s %-6s %10s %8s %8s %8s %8s %8s\n' target result runs secs exec/s cov ft findings
for t in "${targets[@]}"; do
  log=$logs/$t.log
  result=ok
  JAZZER_FUZZ=1 "${mvn[@]}" surefire:test@fuzz -Dpcapunit.fuzz.targets="$t" \
      -Dpcapunit.fuzz.duration="$duration" > "$log" 2>&1 || result=FAILED
  # libFuzzer's last status line ("#N DONE cov: C ft: F ...") and "Done N runs in S second(s)"
  status=$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$status")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$status")
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  runs=$(awk '{print $2}' <<< "$done_line")
  secs=$(awk '{print $5}' <<< "$done_line")
  rate=$([ -n "$runs" ] && [ "${secs:-0}" -gt 0 ] && echo $((runs / secs)) || echo -)
  findings=$(grep -a -c 'Test unit written to' "$log" || true)
  [ "${findings:-0}" -gt 0 ] && result=FAILED # with JAZZER_KEEP_GOING the run itself passes
  printf '%-26s %-6s %10s %8s %8s %8s %8s %8s\n' "$t" "$result" "${runs:--}" "${secs:--}" "$rate" "${cov:--}" "${ft:--}" \
      "$findings"
done
echo "logs: $logs/  machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
