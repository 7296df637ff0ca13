#!/usr/bin/env bash
# Builds the benchmarks jar and runs every benchmark of acs-token-benchmarks.
#   ./acs-token-benchmarks/run.sh --short   # under 10 minutes on 2 cores (the default)
#   ./acs-token-benchmarks/run.sh --full    # longer runs, more iterations, 2 JMH forks
#   ./acs-token-benchmarks/run.sh --short refresh failure   # only some of them
# Names: hotpath refresh failure stampede fleet fleetjvm network emulator entrysize directory sharedtier.
# directory starts a local PostgreSQL when Debian's postgresql package is installed (else H2 only).
# fleetjvm starts 4 JVMs and a redis-server (needs redis-server on the PATH); it is not in the default set.
# sharedtier starts a redis-server (needs it on the PATH).
# The load average before each part goes to target/results/load.txt.
# Results (Markdown tables) go to acs-token-benchmarks/target/results/, and to stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
mode="--short"
if [[ $# -gt 0 && ( "$1" == "--short" || "$1" == "--full" ) ]]; then
  mode="$1"
  shift
fi
only=("$@")
if [[ ${#only[@]} -eq 0 ]]; then
  only=(hotpath refresh failure stampede fleet network emulator entrysize directory sharedtier)
fi

(cd "$root" && ./mvnw -B -q package -pl acs-token-benchmarks -am -DskipTests)
jar="$here/target/benchmarks.jar"
out="$here/target/results"
mkdir -p "$out"
: > "$out/load.txt"
java=(java -Xms512m -Xmx1g)

if [[ "$mode" == "--full" ]]; then
  jmh=(-f 2 -wi 5 -w 2s -i 10 -r 2s)
else
  jmh=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
fi

for what in "${only[@]}"; do
  # the machine's load before each part, for the tables' readers: short runs on a shared machine
  # are only as good as the quiet they had
  echo "== $what ($mode) $(date -u +%H:%M:%S) load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt" >&2
  case "$what" in
    hotpath)
      for t in 1 2; do
        "${java[@]}" -jar "$jar" HotPathBenchmark -t "$t" -prof gc "${jmh[@]}" \
          -rf csv -rff "$out/hotpath-t$t.csv" | tee "$out/hotpath-t$t.txt" | grep -E '^(Benchmark|HotPath)' || true
      done
      "$here/hotpath-table.sh" "$out" | tee "$out/hotpath.md"
      ;;
    refresh)   "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.RefreshHarness "$mode" | tee "$out/refresh.md" ;;
    failure)   "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.FailureHarness "$mode" | tee "$out/failure.md" ;;
    stampede)  "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.StampedeHarness "$mode" | tee "$out/stampede.md" ;;
    fleet)     "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.FleetHarness "$mode" | tee "$out/fleet.md" ;;
    fleetjvm)  "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.fleet.MultiProcessFleetHarness | tee "$out/fleetjvm.md" ;;
    network)   "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.NetworkHarness "$mode" | tee "$out/network.md" ;;
    emulator)  "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.EmulatorHarness "$mode" | tee "$out/emulator.md" ;;
    entrysize) "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.EntrySizeHarness "$mode" | tee "$out/entrysize.md" ;;
    directory) "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.DirectoryHarness "$mode" | tee "$out/directory.md" ;;
    sharedtier) "${java[@]}" -cp "$jar" dev.acstoken.benchmarks.fleet.SharedTierLatencyHarness | tee "$out/sharedtier.md" ;;
    *) echo "unknown benchmark '$what'; allowed: hotpath refresh failure stampede fleet fleetjvm network emulator entrysize directory sharedtier" >&2; exit 2 ;;
  esac
done
echo "== done $(date -u +%H:%M:%S) load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt" >&2
