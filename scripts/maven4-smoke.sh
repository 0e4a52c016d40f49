#!/usr/bin/env bash
# Smoke run of capture-maven-plugin on Maven 4 (release candidate): runs two of the plugin's
# invoker projects (start-stop: passes; verify-fails-on-rule: fails with the assertion message)
# with Maven 4.0.0-rc-4 from Maven Central, against the plugin the invoker ITs installed.
# Run after ./mvnw -B verify (which fills maven-plugin/target/it and it-repo). Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${MAVEN4_VERSION:-4.0.0-rc-4}
work=maven-plugin/target/maven4
mkdir -p "$work"
if [ ! -x "$work/apache-maven-$version/bin/mvn" ]; then
  curl -fsS "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$version/apache-maven-$version-bin.tar.gz" \
    | tar xz -C "$work"
fi
repo=$(./mvnw -q -N help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo "$HOME/.m2/repository")
sed "s#@localRepositoryUrl@#file://$repo#" maven-plugin/src/it/settings.xml > "$work/settings.xml"
status=0
for project in start-stop verify-fails-on-rule; do
  rm -rf "$work/$project"
  cp -r "maven-plugin/target/it/$project" "$work/$project"
  rm -rf "$work/$project/target" "$work/$project/build.log"
  set +e
  "$work/apache-maven-$version/bin/mvn" -B -s "$work/settings.xml" \
    -Dmaven.repo.local="$PWD/maven-plugin/target/it-repo" -f "$work/$project/pom.xml" verify > "$work/$project.log" 2>&1
  rc=$?
  set -e
  case "$project:$rc" in
    start-stop:0)
      grep -q "pcapunit: 3 rules passed" "$work/$project.log" && echo "maven4 $project: passed as on Maven 3.9" \
        || { echo "maven4 $project: no rules summary"; status=1; } ;;
    verify-fails-on-rule:1)
      grep -q "to have no dropped packets to port 29427" "$work/$project.log" \
        && echo "maven4 $project: failed with pcapunit's message as on Maven 3.9" \
        || { echo "maven4 $project: failed without the message"; status=1; } ;;
    *) echo "maven4 $project: unexpected exit $rc (log: $work/$project.log)"; status=1 ;;
  esac
done
exit $status
