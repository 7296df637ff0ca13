#!/usr/bin/env bash
# Turns the hot-path JMH results of run.sh (target/results/hotpath-t1.csv and -t2.csv) into the
# Markdown table of BENCHMARKS.md §1: score ± JMH's 99.9 % error and B/op per thread count, then
# the ratios issue 16 sets targets for. Usage: hotpath-table.sh [results-dir]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")" && pwd)/target/results}"
for t in 1 2; do
  [[ -f "$out/hotpath-t$t.csv" ]] || { echo "missing $out/hotpath-t$t.csv: run run.sh hotpath" >&2; exit 2; }
done
awk -F, '
  function name(s) { gsub(/"/, "", s); sub(/.*HotPathBenchmark\./, "", s); return s }
  FNR == 1 { t++; next }
  {
    n = name($1)
    if (n ~ /:gc\.alloc\.rate\.norm$/) { sub(/:.*/, "", n); bop[n, t] = $5; next }
    if (n ~ /:/) next
    score[n, t] = $5; err[n, t] = $6; if (!(n in seen)) { seen[n] = 1; order[++k] = n }
  }
  END {
    print "| benchmark | 1 thread, ns/op | 2 threads, ns/op | B/op (1 / 2 threads) |"
    print "|---|---:|---:|---:|"
    for (i = 1; i <= k; i++) {
      n = order[i]
      printf "| `%s` | %.1f ± %.1f | %.1f ± %.1f | %.0f / %.0f |\n", n, score[n,1], err[n,1], score[n,2], err[n,2], bop[n,1], bop[n,2]
    }
    print ""
    print "| ratio (issue 16 target) | 1 thread | 2 threads |"
    print "|---|---:|---:|"
    printf "| acs-token / Caffeine, random key of 10,000 (≤ 1.1×) | %.2f× | %.2f× |\n", score["acsToken_randomKeyOf10k",1] / score["caffeine_randomKeyOf10k",1], score["acsToken_randomKeyOf10k",2] / score["caffeine_randomKeyOf10k",2]
    printf "| acs-token / Google, one key (≤ 1.1×) | %.2f× | %.2f× |\n", score["acsToken_oneKey",1] / score["google_refreshIfExpired_getAccessToken",1], score["acsToken_oneKey",2] / score["google_refreshIfExpired_getAccessToken",2]
    printf "| acs-token one key − both clocks (what the hit does besides reading the clocks) | %.1f ns | %.1f ns |\n", score["acsToken_oneKey",1] - score["floor_bothClocks",1], score["acsToken_oneKey",2] - score["floor_bothClocks",2]
    printf "| Google one key − `currentTimeMillis` | %.1f ns | %.1f ns |\n", score["google_refreshIfExpired_getAccessToken",1] - score["floor_currentTimeMillis",1], score["google_refreshIfExpired_getAccessToken",2] - score["floor_currentTimeMillis",2]
  }' "$out/hotpath-t1.csv" "$out/hotpath-t2.csv"
