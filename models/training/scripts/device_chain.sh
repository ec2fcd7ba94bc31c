#!/usr/bin/env bash
# On the lent GPU machine: start run_all.sh in the background once (it outlives this call while the machine
# stays warm), wait up to $1 seconds for it, then copy the log, checkpoints, metrics and ONNX files to $OUT.
# Checkpoints carried back in models/training/.carry/ seed the work folder, so a lost machine resumes; ONNX
# files there seed the models folder (to evaluate files already made: --stages data,evaluate).
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
while [ $SECONDS -lt $end ] && ! grep -q -E "Traceback| done$" "$work/chain.log" 2>/dev/null; do sleep 5; done
grep -v -E "Warning|warn\(|_C\._jit" "$work/chain.log" | tail -60
for f in chain.log dense.pt pruned.pt metrics.json datacheck.json; do [ -f "$work/$f" ] && cp "$work/$f" "$OUT/"; done
cp "$work"/models/*.onnx "$OUT/" 2>/dev/null
exit 0
