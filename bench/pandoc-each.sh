#!/usr/bin/env bash
# pandoc-each.sh OUT JOBS FILE...: converts each Markdown FILE to OUT/<n>.docx with pandoc, one process per
# document, at most JOBS at a time. Used by bench/run.sh.
set -euo pipefail
out=$1 jobs=$2
shift 2
i=0
for doc in "$@"; do
  i=$((i + 1))
  pandoc -f markdown -t docx -o "$out/$i.docx" "$doc" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
    wait -n
  done
done
wait
