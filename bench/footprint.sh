#!/usr/bin/env bash
# What an idle gsbridge costs next to kdeconnectd 22.12 (wake-ups, CPU, RSS, linked and paired over
# a veth), its start-up time and its memory while receiving. Installs the current build with
# install.sh into a scratch home, so the daemon runs exactly as the installed launcher runs it.
# Usage (as root, with the interop tests' packages installed):
#   bench/footprint.sh [idle windows of 60 s, default 3] [start-up runs, default 6] [MiB to receive, default 1024]
# BENCH_JVM_ARGS="..." replaces the launcher's JVM options (GSBRIDGE_JAVA_OPTS), to compare others.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/footprint.sh: must run as root (network namespaces)" >&2
  exit 1
fi
mvn -q -B -ntp -DskipTests package
classpath_file=target/bench-classpath.txt
mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
scratch=$(mktemp -d /tmp/gsbridge-footprint-home.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/run"
# No session bus and an empty runtime directory: install.sh finds no systemd user manager and
# touches nothing outside the scratch home.
env -i HOME="$scratch" PATH="$PATH" XDG_RUNTIME_DIR="$scratch/run" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
  sh ./install.sh --jar target/gsbridge.jar >&2
java -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat "$classpath_file")" \
  -Dgsbridge.launcher="$scratch/.local/bin/gsbridge" ${BENCH_JVM_ARGS:+"-Dgsbridge.child.jvmArgs=$BENCH_JVM_ARGS"} \
  io.github.gsbridge.bench.FootprintBenchmark "$@"
