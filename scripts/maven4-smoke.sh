#!/usr/bin/env bash
# Kept for old notes and CI jobs: the Maven 4 run is now part of scripts/maven-matrix.sh.
#   MAVEN4_VERSION=4.0.0-rc-4 scripts/maven4-smoke.sh   ==   scripts/maven-matrix.sh 4.0.0-rc-4
exec "$(dirname "$0")/maven-matrix.sh" "${MAVEN4_VERSION:-4.0.0-rc-4}"
