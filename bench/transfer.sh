#!/usr/bin/env bash
# File transfer throughput over a veth between two network namespaces:
# kdeconnectd -> gsbridge, gsbridge -> gsbridge, and raw TCP as the link's ceiling.
# Usage (as root, with the interop tests' packages installed): bench/transfer.sh [MiB per transfer, default 512]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/transfer.sh: must run as root (network namespaces)" >&2
  exit 1
fi
mvn -q -B -ntp -DskipTests test-compile
classpath_file=target/bench-classpath.txt
mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec java -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat "$classpath_file")" \
  io.github.gsbridge.bench.TransferBenchmark "${1:-512}"
