#!/usr/bin/env bash
# On the lent GPU machine: start run_all.sh in the background once (it outlives this call while the machine
# stays warm), wait up to $1 seconds for it, then copy the log, metrics, ONNX files and checkpoints to $OUT.
# Checkpoints carried back in models/training/.carry/ seed the work folder, so a lost machine resumes; ONNX
# files there seed the models folder (to evaluate files already made: --stages data,evaluate).
# CHAIN_PAIRED="FIRST_SEED COUNT" (environment): once the chain is done, also run scripts/paired_accuracy.py on
# the new INT8 file for those seeds, for the Java runtime's paired check (`noduled bench accuracy --paired`).
# Brings back at most 7 files: chain.log, metrics.json, the 3 ONNX files, checkpoints.tar (dense.pt,
# pruned.pt, datacheck.json: unpack it into models/training/.carry/ to resume on a fresh machine) and
# paired-int8-FIRST_SEED.json.
here="$(cd "$(dirname "$0")/.." && pwd)"
work=/tmp/noduled-train
mkdir -p "$work"
if [ ! -f "$work/started" ]; then
  cp "$here"/.carry/*.pt "$here"/.carry/datacheck.json "$work"/ 2>/dev/null
  mkdir -p "$work/models" && cp "$here"/.carry/*.onnx "$work/models"/ 2>/dev/null
  touch "$work/started"
  setsid nohup "$here/run_all.sh" "$work" "$work/models" "${@:2}" > "$work/chain.log" 2>&1 < /dev/null &
fi
end=$((SECONDS + ${1:-540}))
while [ $SECONDS -lt $end ] && ! grep -q -E "Traceback| done in [0-9]+ s$" "$work/chain.log" 2>/dev/null; do sleep 5; done
grep -v -E "Warning|warn\(|_C\._jit" "$work/chain.log" | tail -60
# the chain's results first: a paired step cut off by the call's limit must not cost them
for f in chain.log metrics.json; do [ -f "$work/$f" ] && cp "$work/$f" "$OUT/"; done
(cd "$work" && tar cf "$OUT/checkpoints.tar" $(ls dense.pt pruned.pt datacheck.json 2>/dev/null)) 2>/dev/null
cp "$work"/models/*.onnx "$OUT/" 2>/dev/null
if [ -n "${CHAIN_PAIRED:-}" ] && grep -q -E " done in [0-9]+ s$" "$work/chain.log"; then
  read -r first count <<< "$CHAIN_PAIRED"
  paired="$work/paired-int8-$first.json"
  left=$((end - SECONDS))  # only inside this call's wait; a chain done late in it is paired by the next call
  if [ ! -f "$paired" ] && [ $left -gt 20 ]; then
    (cd "$here" && timeout $left "${PYTHON:-python3}" scripts/paired_accuracy.py "$work"/models/*-pruned-int8.card.json \
      "$first" "$count" "$work/paired" "$paired" 2>&1 | grep -v -E "Warning|warn\(" | tail -5)
  fi
  [ -f "$paired" ] && cp "$paired" "$OUT/" || echo "paired check not yet run: call again (it needs about a minute)"
fi
exit 0
