#!/usr/bin/env bash
# Runs capture-maven-plugin's invoker ITs (maven-plugin/src/it, every project) on each Maven
# version a user may have: Ubuntu 22.04's 3.6.3 (the oldest supported), Debian 12's 3.8.x, the
# wrapper's 3.9, 3.10 and Maven 4. Each distribution comes from Maven Central
# (org.apache.maven:apache-maven:<v>:zip:bin) through the dependency plugin, so it is cached in
# ~/.m2 like any artifact and unpacked under maven-plugin/<build dir>/maven-dists.
#
#   scripts/maven-matrix.sh                      # every default version
#   scripts/maven-matrix.sh 3.6.3 4.0.0-rc-4     # these versions only
#   MATRIX_ITS='start-stop,plugin-order' scripts/maven-matrix.sh   # these ITs only (invoker.test)
#
# First builds the plugin once with the wrapper (./mvnw verify of maven-plugin: its ITs on the
# wrapper's Maven and on 3.6.3, as CI runs them), then runs the ITs on each other version.
# Needs root (the ITs capture on lo), tshark/capinfos and network access to Maven Central.
# Exit status 0 when every version passed; the per-version invoker logs are under
# maven-plugin/<build dir>/it-maven-<version>/<project>/build.log.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${PCAPUNIT_BUILD_DIRECTORY:-target}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.6.3 3.8.8 3.9.16 3.10.1 4.0.0-rc-4)
its=()
[ -z "${MATRIX_ITS:-}" ] || its=(-Dinvoker.test="$MATRIX_ITS")
mvn=(./mvnw -B -Dpcapunit.build.directory="$build")
dists="$PWD/maven-plugin/$build/maven-dists"

echo "maven-matrix: building the plugin and running its ITs with the wrapper's Maven"
"${mvn[@]}" -q -pl maven-plugin -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dpcapunit.fuzz.skip=true
declare -A result
status=0
for v in "${versions[@]}"; do
  home="$dists/apache-maven-$v"
  if [ ! -x "$home/bin/mvn" ]; then
    "${mvn[@]}" -q -N dependency:unpack -Dartifact="org.apache.maven:apache-maven:$v:zip:bin" \
        -DoutputDirectory="$dists" -Dmdep.overWriteReleases=false
  fi
  "$home/bin/mvn" -v | head -1
  set +e
  "${mvn[@]}" -q -pl maven-plugin invoker:run@integration-test invoker:verify@integration-test \
      -Dinvoker.mavenHome="$home" ${its[@]+"${its[@]}"} \
      -Dpcapunit.it.clone="$PWD/maven-plugin/$build/it-maven-$v" \
      -Dinvoker.reportsDirectory="$PWD/maven-plugin/$build/invoker-reports-matrix-$v" \
      > "maven-plugin/$build/maven-matrix-$v.log" 2>&1
  rc=$?
  set -e
  if [ $rc -eq 0 ]; then result[$v]=passed; else result[$v]="FAILED (maven-plugin/$build/maven-matrix-$v.log)"; status=1; fi
  echo "maven-matrix: Maven $v: ${result[$v]}"
done
echo "maven-matrix summary:"
for v in "${versions[@]}"; do echo "  Maven $v: ${result[$v]}"; done
exit $status
