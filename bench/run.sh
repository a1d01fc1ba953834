#!/usr/bin/env bash
# Benchmarks of `zhenggai render` on synthetic rounds, with pandoc side by side (BENCHMARKS.md).
#
#   bench/run.sh                 # rounds of 1, 100, 1000 and 2000 units; -f md, docx, all
#   SIZES="1 100" bench/run.sh   # fewer sizes
#   REPEAT=3 bench/run.sh        # best of 3 runs per cell (the machine may be shared)
#   JOBS=2 bench/run.sh          # -j 2 (default: zhenggai's default, every core)
#   PANDOC_DOCS=50 bench/run.sh  # how many Markdown documents pandoc converts (one process each)
#
# Needs /usr/bin/time (GNU time, for peak memory) and pandoc (bench/pandoc-each.sh runs it); on Debian/Ubuntu as root the script
# installs them (apt-get) when missing. Writes everything under target/bench/ and prints a Markdown table
# (also saved as target/bench/results.md).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1 100 1000 2000"}
FORMATS=${FORMATS:-"md docx all"}
REPEAT=${REPEAT:-1}
PANDOC_DOCS=${PANDOC_DOCS:-50}
JOBS=${JOBS:-}
WORK=${WORK:-target/bench}

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v pandoc >/dev/null || need+=(pandoc)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "bench/run.sh: please install ${need[*]} (Debian: apt-get install ${need[*]})" >&2
    exit 2
  fi
fi

cargo build --release --quiet --bin zhenggai --example gen_round
BIN=$PWD/target/release/zhenggai
GEN=$PWD/target/release/examples/gen_round
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RESULTS=$WORK/results.md

jobs_arg=()
[ -n "$JOBS" ] && jobs_arg=(-j "$JOBS")

# Runs a command under /usr/bin/time -v; prints "wall_s user_s sys_s maxrss_kb".
# The wall time is taken with the shell's microsecond clock (time -v rounds to 10 ms).
measure() {
  local log=$WORK/time.log start end
  start=$EPOCHREALTIME
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$WORK/stderr.log" || {
    echo "bench/run.sh: failed: $*" >&2
    cat "$WORK/stderr.log" >&2
    exit 1
  }
  end=$EPOCHREALTIME
  awk -F': ' -v start="$start" -v end="$end" '
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
    END { printf "%.3f %.2f %.2f %d\n", end - start, u, s, m }' "$log"
}

# Best (lowest wall time) of $REPEAT runs of `zhenggai render`, followed by the slowest run's wall time
# (the spread tells how noisy the machine was); the output folder is emptied first.
best_render() {
  local round=$1 format=$2 out=$3 best="" worst="" line
  shift 3
  for _ in $(seq "$REPEAT"); do
    # Deleting the last run's thousands of files leaves the kernel journal work to do; sync first so
    # that it does not land inside the timed run.
    rm -rf "$out"
    sync
    line=$(measure "$BIN" render "$round" -f "$format" -o "$out" "$@")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best=$line
    fi
    if [ -z "$worst" ] || awk -v a="${line%% *}" -v b="$worst" 'BEGIN { exit !(a > b) }'; then
      worst=${line%% *}
    fi
  done
  echo "$best $worst"
}

{
  echo "# zhenggai benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- command: \`SIZES=\"$SIZES\" FORMATS=\"$FORMATS\" REPEAT=$REPEAT JOBS=${JOBS:-all} PANDOC_DOCS=$PANDOC_DOCS bench/run.sh\`"
  echo "- zhenggai $(git describe --always --dirty 2>/dev/null || echo '?'), $(rustc --version)"
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -h | awk '/^Mem:/ { print $2 }') RAM, $(uname -sr)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(pandoc --version | head -1)"
  echo
  echo "| units | format | files | wall s | slowest of $REPEAT | user s | sys s | peak MB | ms per unit (wall) | ms per document (wall) |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} | tee "$RESULTS"

for n in $SIZES; do
  round=$WORK/round-$n
  [ -f "$round/round.yaml" ] || "$GEN" "$n" "$round" >/dev/null
  for format in $FORMATS; do
    read -r wall user sys rss slowest < <(best_render "$round/round.yaml" "$format" "$WORK/out-$n-$format" "${jobs_arg[@]}")
    files=$(find "$WORK/out-$n-$format" -type f | wc -l)
    docs=$((n * 3))
    awk -v n="$n" -v f="$format" -v files="$files" -v w="$wall" -v sl="$slowest" -v u="$user" -v s="$sys" -v m="$rss" -v d="$docs" \
      'BEGIN { printf "| %d | %s | %d | %.3f | %.3f | %.2f | %.2f | %.0f | %.2f | %.2f |\n", n, f, files, w, sl, u, s, m / 1024, w * 1000 / n, w * 1000 / d }' |
      tee -a "$RESULTS"
  done
done

# pandoc: the Markdown documents of the 100-unit round (or the largest rendered), one process per
# document, converted to DOCX — the per-document time to compare with zhenggai's DOCX column.
source_n=100
case " $SIZES " in *" 100 "*) ;; *) source_n=${SIZES##* } ;; esac
md_out=$WORK/out-$source_n-md
[ -d "$md_out" ] || { rm -rf "$md_out"; "$BIN" render "$WORK/round-$source_n/round.yaml" -f md -o "$md_out" >/dev/null; }
mapfile -t docs < <(find "$md_out" -name '*.md' | sort | head -n "$PANDOC_DOCS")
pandoc_out=$WORK/pandoc
rm -rf "$pandoc_out" && mkdir -p "$pandoc_out"
cores=$(nproc)
# One document at a time (one core), then one pandoc per core at a time.
read -r pwall _ _ prss < <(measure bench/pandoc-each.sh "$pandoc_out" 1 "${docs[@]}")
rm -rf "$pandoc_out" && mkdir -p "$pandoc_out"
read -r ppwall _ _ _ < <(measure bench/pandoc-each.sh "$pandoc_out" "$cores" "${docs[@]}")
# zhenggai on the same round, DOCX only: one thread (CPU for CPU), then every core.
read -r zwall _ _ zrss _ < <(best_render "$WORK/round-$source_n/round.yaml" docx "$WORK/out-$source_n-docx-j1" -j 1)
read -r zpwall _ _ _ _ < <(best_render "$WORK/round-$source_n/round.yaml" docx "$WORK/out-$source_n-docx-all")
{
  echo
  echo "| converter | documents | wall s | ms per document | peak MB |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  awk -v k="${#docs[@]}" -v w="$pwall" -v m="$prss" \
    'BEGIN { printf "| pandoc -f markdown -t docx, one process per document, one at a time | %d | %.2f | %.1f | %.0f |\n", k, w, w * 1000 / k, m / 1024 }'
  awk -v k="${#docs[@]}" -v w="$ppwall" -v c="$cores" \
    'BEGIN { printf "| pandoc, the same, %d at a time | %d | %.2f | %.1f | |\n", c, k, w, w * 1000 / k }'
  awk -v n="$source_n" -v w="$zwall" -v m="$zrss" \
    'BEGIN { printf "| zhenggai render -f docx -j 1 (YAML → Markdown → DOCX, whole process) | %d | %.2f | %.1f | %.0f |\n", n * 3, w, w * 1000 / (n * 3), m / 1024 }'
  awk -v n="$source_n" -v w="$zpwall" \
    'BEGIN { printf "| zhenggai render -f docx, every core | %d | %.2f | %.1f | |\n", n * 3, w, w * 1000 / (n * 3) }'
  awk -v k="${#docs[@]}" -v pw="$pwall" -v ppw="$ppwall" -v n="$source_n" -v zw="$zwall" -v zpw="$zpwall" \
    'BEGIN { printf "\nPer document, zhenggai is %.0f× faster than pandoc on one core and %.0f× on every core.\n", (pw / k) / (zw / (n * 3)), (ppw / k) / (zpw / (n * 3)) }'
} | tee -a "$RESULTS"
echo
echo "Results saved to $RESULTS"
