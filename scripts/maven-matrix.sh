#!/usr/bin/env bash
# Runs capture-maven-plugin's invoker ITs (maven-plugin/src/it, every project) on each Maven
# version a user may have: Ubuntu 22.04's 3.6.3 (the oldest supported), Debian 12's 3.8.x, the
# wrapper's 3.9, 3.10 and Maven 4. (3.10.1's pom is on Central, its -bin.zip/-bin.tar.gz are not:
# 3.10.0 is the newest 3.10 that can be run.) Each distribution comes from Maven Central
# (org.apache.maven:apache-maven:<v>:zip:bin) through the dependency plugin, so it is cached in
# ~/.m2 like any artifact and unpacked under maven-plugin/<build dir>/maven-dists.
#
#   scripts/maven-matrix.sh                      # every default version
#   scripts/maven-matrix.sh 3.6.3 4.0.0-rc-4     # these versions only
#   MATRIX_ITS='start-stop,plugin-order' scripts/maven-matrix.sh   # these ITs only (invoker.test)
#
# First installs the plugin and pcapunit-core once with the wrapper (the outer build of each run
# below resolves them from the local repository; the ITs themselves run in none of that build),
# then runs every IT on each version in turn.
#   MATRIX_REPO_LOCAL=/tmp/m2 scripts/maven-matrix.sh   # install there, not into ~/.m2 (seed it
#                                                        # with a copy of ~/.m2/repository to stay fast)
# Needs root (the ITs capture on lo), tshark/capinfos, Docker for the containers IT, and network
# access to Maven Central. Exit status 0 when every version passed; the per-version invoker logs
# are under maven-plugin/<build dir>/it-maven-<version>/<project>/build.log, the summary (version,
# ITs passed/failed, minutes) at the end of the output. Last results: README.md, "Maven versions".
set -euo pipefail
cd "$(dirname "$0")/.."
build=${PCAPUNIT_BUILD_DIRECTORY:-target}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.6.3 3.8.8 3.9.16 3.10.0 4.0.0-rc-4)
its=()
[ -z "${MATRIX_ITS:-}" ] || its=(-Dinvoker.test="$MATRIX_ITS")
mvn=(./mvnw -B -Dpcapunit.build.directory="$build")
[ -z "${MATRIX_REPO_LOCAL:-}" ] || mvn+=(-Dmaven.repo.local="$MATRIX_REPO_LOCAL")
dists="$PWD/maven-plugin/$build/maven-dists"

echo "maven-matrix: installing the plugin and pcapunit-core with the wrapper's Maven"
# invoker.test naming no project: invoker:install still fills the ITs' repository, no IT runs here.
"${mvn[@]}" -q -pl maven-plugin -am install -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dpcapunit.fuzz.skip=true -Dinvoker.test=none-in-this-step
declare -A result
status=0
for v in "${versions[@]}"; do
  home="$dists/apache-maven-$v"
  if [ ! -x "$home/bin/mvn" ] && ! "${mvn[@]}" -q -N dependency:unpack \
      -Dartifact="org.apache.maven:apache-maven:$v:zip:bin" -DoutputDirectory="$dists" \
      -Dmdep.overWriteReleases=false > "maven-plugin/$build/maven-matrix-$v.log" 2>&1; then
    result[$v]="NOT RUN (no org.apache.maven:apache-maven:$v:zip:bin on Central; maven-plugin/$build/maven-matrix-$v.log)"
    status=1
    echo "maven-matrix: Maven $v: ${result[$v]}"
    continue
  fi
  "$home/bin/mvn" -v | head -1
  reports="$PWD/maven-plugin/$build/invoker-reports-matrix-$v"
  rm -rf "$reports"
  started=$SECONDS
  set +e
  "${mvn[@]}" -q -pl maven-plugin invoker:run@integration-test invoker:verify@integration-test \
      -Dinvoker.mavenHome="$home" ${its[@]+"${its[@]}"} \
      -Dpcapunit.it.clone="$PWD/maven-plugin/$build/it-maven-$v" \
      -Dinvoker.reportsDirectory="$reports" \
      > "maven-plugin/$build/maven-matrix-$v.log" 2>&1
  rc=$?
  set -e
  # One BUILD-<project>.xml per IT run, result="success" or not.
  passed=$(grep -l 'result="success"' "$reports"/BUILD-*.xml 2>/dev/null | wc -l)
  ran=$(ls "$reports"/BUILD-*.xml 2>/dev/null | wc -l)
  failed=$(grep -L 'result="success"' "$reports"/BUILD-*.xml 2>/dev/null | xargs -r -n1 basename \
      | sed 's/^BUILD-//; s/\.xml$//' | paste -sd, -)
  took="$(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
  if [ $rc -eq 0 ]; then
    result[$v]="passed ($passed of $ran ITs, $took)"
  else
    result[$v]="FAILED ($passed of $ran ITs passed${failed:+; failed: $failed}, $took; maven-plugin/$build/maven-matrix-$v.log)"
    status=1
  fi
  echo "maven-matrix: Maven $v: ${result[$v]}"
done
echo "maven-matrix summary:"
for v in "${versions[@]}"; do echo "  Maven $v: ${result[$v]}"; done
exit $status
