#!/usr/bin/env bash
# Command line: `java -jar pcapunit-cli.jar format|check|diagnose FILE` on a >= 1 M-packet pcapng,
# as whole processes (JVM start included), side by side with tshark on the same file:
#   format FILE                     vs  tshark -r FILE               (one line per packet)
#   check FILE --no-drops-to 1433   vs  tshark -r FILE -Y DROPS      (issue 15's baseline)
#   diagnose FILE                   vs  tshark -r FILE -Y DROPS
# DROPS = "tcp.analysis.retransmission || tcp.flags.reset==1 || icmp.type==3". Also diagnose of
# the same file gzip-compressed (FILE.gz, decompressed as it is read) vs tshark on FILE.gz.
# Each round runs every command once, in a rotating order, output to /dev/null, under
# /usr/bin/time -v (wall, user+sys CPU, peak RSS); medians over the rounds. Two ways to run it:
# plain `java -jar` with no JVM option, and the launcher shipped next to the jar (cli/src/main/bin/
# pcapunit: C1 only, serial GC, no perf data, a class-data archive written by its first run - that
# first run is timed apart, then the rounds use the archive). The target is >= 10x, <= 256 MiB.
# Set PCAPUNIT_JAVA_OPTS to add rows of `java OPTS -jar` (e.g. "-XX:TieredStopAtLevel=1").
# The file is AnalysisBench's generator's (scripts/bench-analysis.sh): TCP to 1433 with
# retransmissions, refusals, unanswered SYNs, ICMP echoes and UDP port-unreachables.
# Usage: scripts/bench-cli.sh [packets, default 1000000] [rounds, default 3]
# Prints the numbers; copy them into BENCHMARKS.md "Command line".
set -euo pipefail
cd "$(dirname "$0")/.."
packets="${1:-1000000}"
rounds="${2:-3}"
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl cli,it -am package -DskipTests -Dpcapunit.fuzz.skip=true \
  -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-classpath.txt"
jar=$(ls cli/"$dir"/pcapunit-cli-*.jar | grep -v -e original- -e sources -e javadoc | head -1)
launcher="cli/$dir/pcapunit"
work="cli/$dir/bench-cli"
mkdir -p "$work"
export PCAPUNIT_CDS_DIR="$PWD/$work/cds"
rm -rf "$PCAPUNIT_CDS_DIR"
file="$work/cli-$packets.pcapng"

# The generator is package-private in the it module's test classes: called by reflection.
cat > "$work/Generate.java" <<'EOF'
public class Generate {
    public static void main(String[] a) throws Exception {
        java.lang.reflect.Method w = Class.forName("io.github.pcapunit.it.bench.AnalysisBench$Generator")
                .getDeclaredMethod("write", java.nio.file.Path.class, int.class);
        w.setAccessible(true);
        System.out.println(w.invoke(null, java.nio.file.Path.of(a[0]), Integer.parseInt(a[1])));
    }
}
EOF
if [ ! -s "$file" ]; then
  java -cp "core/$dir/classes:it/$dir/test-classes:$(cat "core/$dir/bench-classpath.txt")" \
    "$work/Generate.java" "$file" "$packets" > /dev/null
fi
gzip -1 -c "$file" > "$file.gz"
drops="tcp.analysis.retransmission || tcp.flags.reset==1 || icmp.type==3"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(java -version 2>&1 | head -1); $(tshark --version | head -1)"
echo "input: $file, $(stat -c %s "$file") bytes; $(stat -c %s "$file.gz") bytes gzip -1; jar $jar"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Referees first: the outputs agree where they can (one line per packet; the drop frames).
ours=$(java -jar "$jar" format --no-footer "$file" | wc -l)
theirs=$(tshark -r "$file" | wc -l)
echo "format lines (no footer): ours $ours, tshark $theirs"
java -jar "$jar" diagnose "$file" | sed -n '2,4p'
java -jar "$jar" check "$file" --no-drops-to 1433 | head -1 || true
echo "tshark drop-filter frames: $(tshark -r "$file" -Y "$drops" | wc -l)"
# The launcher prints what java -jar prints, byte for byte; its first run writes the archive.
/usr/bin/time -f "launcher first run (check, writes the class-data archive): wall %e s, CPU %U+%S s" \
  sh "$launcher" check "$file" --no-drops-to 1433 > "$work/launcher-check.txt" || true
for c in "format $file" "check $file --no-drops-to 1433" "diagnose $file" "diagnose $file.gz"; do
  java -jar "$jar" $c > "$work/jar.txt" || true
  sh "$launcher" $c > "$work/launcher.txt" || true
  cmp -s "$work/jar.txt" "$work/launcher.txt" && same=identical || same=DIFFERENT
  echo "output of '${c%% *}' (${c##*.}): java -jar and launcher $same ($(wc -c < "$work/jar.txt") bytes)"
done
echo "class-data archive: $(ls "$PCAPUNIT_CDS_DIR")"

names=(); cmds=()
add() { names+=("$1"); shift; cmds+=("$*"); }
add "tshark -r (listing)" tshark -r "$file"
add "tshark -Y drops" tshark -r "$file" -Y "\"$drops\""
add "tshark -Y drops .gz" tshark -r "$file.gz" -Y "\"$drops\""
add "format" java -jar "$jar" format "$file"
add "check --no-drops-to 1433" java -jar "$jar" check "$file" --no-drops-to 1433
add "diagnose" java -jar "$jar" diagnose "$file"
add "diagnose .gz" java -jar "$jar" diagnose "$file.gz"
add "format [launcher]" sh "$launcher" format "$file"
add "check [launcher]" sh "$launcher" check "$file" --no-drops-to 1433
add "diagnose [launcher]" sh "$launcher" diagnose "$file"
add "diagnose .gz [launcher]" sh "$launcher" diagnose "$file.gz"
if [ -n "${PCAPUNIT_JAVA_OPTS:-}" ]; then
  add "format [opts]" java $PCAPUNIT_JAVA_OPTS -jar "$jar" format "$file"
  add "check [opts]" java $PCAPUNIT_JAVA_OPTS -jar "$jar" check "$file" --no-drops-to 1433
  add "diagnose [opts]" java $PCAPUNIT_JAVA_OPTS -jar "$jar" diagnose "$file"
fi
n=${#cmds[@]}
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < n; k++)); do
    i=$(( (k + r) % n ))
    eval "/usr/bin/time -v -o $work/time-$i-$r.txt ${cmds[$i]}" > /dev/null 2>> "$work/stderr.txt" || true
  done
  echo "round $((r + 1)) done, load $(cut -d' ' -f1 /proc/loadavg)"
done

# wall seconds, CPU seconds, peak RSS MiB of command i in round r
measure() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
              /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
              END { printf "%.2f %.2f %.0f\n", w, u + s, m / 1024 }' "$work/time-$1-$2.txt"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A wall cpu rss
for ((i = 0; i < n; i++)); do
  ws=(); cs=(); ms=()
  for ((r = 0; r < rounds; r++)); do
    read -r w c m < <(measure "$i" "$r"); ws+=("$w"); cs+=("$c"); ms+=("$m")
  done
  wall[$i]=$(printf '%s\n' "${ws[@]}" | median); cpu[$i]=$(printf '%s\n' "${cs[@]}" | median)
  rss[$i]=$(printf '%s\n' "${ms[@]}" | sort -g | tail -1)
  printf '%-28s wall %s s (%s)  CPU %s s (%s)  peak RSS max %s MiB (%s)\n' "${names[$i]}" "${wall[$i]}" \
    "$(IFS=/; echo "${ws[*]}")" "${cpu[$i]}" "$(IFS=/; echo "${cs[*]}")" "${rss[$i]}" "$(IFS=/; echo "${ms[*]}")"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
referee() { case "${names[$1]}" in format*) echo 0 ;; *.gz*) echo 2 ;; *) echo 1 ;; esac; }
echo
for ((i = 3; i < n; i++)); do
  t=$(referee "$i")
  echo "${names[$i]} vs ${names[$t]}: wall $(ratio "${wall[$t]}" "${wall[$i]}"), CPU $(ratio "${cpu[$t]}" "${cpu[$i]}"), peak RSS ${rss[$i]} MiB (target >= 10x, <= 256 MiB)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
