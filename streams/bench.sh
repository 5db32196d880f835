#!/usr/bin/env bash
# The analyze benchmark (docs/benchmarks.md): a 1,000,000-event fleet recording, read-only baseline and
# `vipwatch analyze` side by side in one run, each pinned to one core. Usage: streams/bench.sh [EVENTS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-1000000}
ROUNDS=${2:-3}
# one reactor run: the sibling modules resolve to their target/classes (nothing is installed to ~/.m2)
mvn -B -o -q -pl streams -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
    -Dmdep.includeScope=test
# this worktree's modules instead of whatever SNAPSHOT jars ~/.m2 holds
CP="streams/target/test-classes:streams/target/classes:schemas/target/classes:$(tr ':' '\n' < streams/target/test-classpath.txt | grep -v '/io/vipwatch/' | paste -sd:)"
OUT=streams/target/bench
mkdir -p "$OUT"
REC="$OUT/fleet-$EVENTS.jsonl"
[ -f "$REC" ] || java -cp "$CP" io.vipwatch.streams.bench.Cli generate "$REC" "$EVENTS" 20 30 40 true
ls -la "$REC"
for round in $(seq "$ROUNDS"); do
  echo "round $round"
  taskset -c 1 java -XX:ActiveProcessorCount=1 -Xmx1g -cp "$CP" io.vipwatch.streams.bench.Cli read "$REC"
  taskset -c 1 java -XX:ActiveProcessorCount=1 -Xmx1g -cp "$CP" io.vipwatch.streams.bench.Cli analyze "$REC" > "$OUT/alerts.jsonl"
  echo "alerts: $(wc -l < "$OUT/alerts.jsonl")"
done
