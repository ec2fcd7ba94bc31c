#!/usr/bin/env bash
# On the lent GPU machine: compare pruned variants of one dense net in one lease.
#
#   scripts/device_variants.sh SECONDS NAME="pipeline options" [NAME="pipeline options"...]
#
# The dense net and its data check come from models/training/.carry/ (dense.pt, datacheck.json). The data
# is made once; every variant is pruned and fine-tuned at the same time on the one GPU (the training set is
# 15 GB of float16 per process); then each variant's INT8 file is evaluated against the dense net on the same
# validation and test series. The dense net's findings are cached by file hash, so it runs once.
# Like device_chain.sh, the first call starts the work in the background and later calls only wait for it.
# VARIANTS_COMMON (environment) holds options for every stage, the data's too (split sizes, seeds). Its default,
# --test-seed0 900000, is the selection set: variants are compared there, never on the fresh set the cards quote.
# Brings back $OUT/NAME.tar (its log, metrics.json, pruned.pt, ONNX files) per variant and base.log.
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${VARIANTS_WORK:-/tmp/noduled-variants}"

if [ "${1:-}" = "--inner" ]; then
  shift
  set -uo pipefail
  common="${VARIANTS_COMMON:---test-seed0 900000}"
  names=(); pids=()
  # shellcheck disable=SC2086
  "$here/run_all.sh" "$work/base" "$work/base/models" --stages data,check $common > "$work/base.log" 2>&1 || { echo "variants done (the data stage failed: see base.log)"; exit 1; }
  for spec in "$@"; do
    name="${spec%%=*}"; opts="${spec#*=}"; names+=("$name")
    mkdir -p "$work/$name/models"
    ln -sfn "$work/base/prepared" "$work/$name/prepared"
    cp "$work/base/dense.pt" "$work/base/datacheck.json" "$work/$name/"
    # shellcheck disable=SC2086
    "$here/run_all.sh" "$work/$name" "$work/$name/models" --stages prune,export $common $opts > "$work/$name/chain.log" 2>&1 &
    pids+=($!)
  done
  finished=()
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then finished+=("${names[$i]}"); else echo "variant ${names[$i]} failed: see its chain.log"; fi
  done
  [ ${#finished[@]} -gt 0 ] || { echo "variants done (every variant failed)"; exit 1; }
  dense="$(ls "$work/${finished[0]}"/models/*-dense-fp32.onnx)"
  for spec in "$@"; do
    name="${spec%%=*}"; opts="${spec#*=}"
    [[ " ${finished[*]} " == *" $name "* ]] || continue
    # one dense file, so its cached findings serve every variant
    [ "$dense" -ef "$work/$name/models/$(basename "$dense")" ] || cp "$dense" "$work/$name/models/"
    # shellcheck disable=SC2086
    "$here/run_all.sh" "$work/$name" "$work/$name/models" --stages evaluate --evaluate-models pruned-int8 \
      --found-cache "$work/found" $common $opts >> "$work/$name/chain.log" 2>&1
  done
  echo "variants done"
  exit 0
fi

mkdir -p "$work/base"
if [ ! -f "$work/started" ]; then
  cp "$here"/.carry/dense.pt "$here"/.carry/datacheck.json "$work/base/" || exit 1
  touch "$work/started"
  printf '%s\n' "${@:2}" > "$work/variants.txt"
  setsid nohup "$0" --inner "${@:2}" > "$work/variants.log" 2>&1 < /dev/null &
fi
end=$((SECONDS + ${1:-540}))
while [ $SECONDS -lt $end ] && ! grep -q "variants done" "$work/variants.log" 2>/dev/null; do sleep 5; done
filter() { grep -v -E "Warning|warn\(|_C\._jit" "$@"; }
echo "== base"; filter "$work/base.log" 2>/dev/null | tail -5
cp "$work/base.log" "$OUT/" 2>/dev/null
while read -r spec; do
  name="${spec%%=*}"
  echo "== $name: ${spec#*=}"
  filter "$work/$name/chain.log" 2>/dev/null | grep -E "pruned:|step [0-9]*000/|CPM|latency|exported|Traceback|Error" | tail -12
  (cd "$work/$name" && tar cf "$OUT/$name.tar" chain.log $(ls metrics.json pruned.pt models/*pruned*.onnx 2>/dev/null))
done < "$work/variants.txt"
cat "$work/variants.log"
exit 0
