#!/usr/bin/env bash
# The whole reference-model chain, seeded, on one CUDA machine (budget: under 25 minutes on an H100/H200):
# Java phantoms (PhantomExport) -> model-grid volumes -> data check against the generator -> dense training
# -> channel pruning + fine-tuning -> ONNX FP32 (dense, pruned) and INT8 QDQ (pruned) -> evaluation on
# held-out seeds (FROC/CPM, latency, MACs) -> model cards. Trained on synthetic phantoms, not for clinical use.
#
#   models/training/run_all.sh [WORK_DIR [MODELS_DIR [extra pipeline options...]]]
#
# Needs python3 (PYTHON overrides) with torch, onnx, onnxruntime (with its quantization tools), opencv-python and scipy; a Java
# 17 runtime (JAVA, else models/training/.jre/jre/bin/java, else java on the PATH) and the classpath of the
# phantom generator (PHANTOM_CLASSPATH, else every jar in models/training/.jre/: noduled-preprocess and
# slf4j-api). A stage whose output exists in WORK_DIR is skipped, so a second run resumes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:-/tmp/noduled-train}"
models="${2:-$here/..}"
shift $(( $# > 2 ? 2 : $# ))
java="${JAVA:-}"
if [ -z "$java" ]; then
  if [ -x "$here/.jre/jre/bin/java" ]; then java="$here/.jre/jre/bin/java"; else java=java; fi
fi
classpath="${PHANTOM_CLASSPATH:-$(ls "$here"/.jre/*.jar 2>/dev/null | paste -sd: -)}"
if [ -z "$classpath" ]; then
  echo "run_all: no phantom generator classpath: set PHANTOM_CLASSPATH or put the jars in $here/.jre/" >&2
  exit 2
fi
cd "$here"
export PYTHONUNBUFFERED=1
exec "${PYTHON:-python3}" -m nodtrain.pipeline --work "$work" --models-dir "$models" --java "$java" --classpath "$classpath" "$@"
