#!/usr/bin/env bash
# On the GPU machine, from the repository root: install the kit's wheels, run the jobs of
# gpu/kit.py at the given scale with Keras on JAX, and leave records, summary and log in
# $OUT (or ./gpu-out). Usage: bash gpu/run.sh smoke|full
set -euo pipefail
scale=${1:-smoke}
out=${OUT:-$PWD/gpu-out}
mkdir -p "$out"
site=/tmp/dimclust-site
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
  --target "$site" .kit/wheels/*.whl
export PYTHONPATH="$site:$PWD" KERAS_BACKEND=jax XLA_PYTHON_CLIENT_PREALLOCATE=false
export DIMCLUST_DATA="$PWD/.kit/data" DIMCLUST_CACHE=/tmp/dimclust-cache
export TF_CPP_MIN_LOG_LEVEL=2 PYTHONUNBUFFERED=1
{ nvidia-smi -L || true; python3 -c "import jax, keras, numpy, sklearn; print('jax', jax.__version__, jax.devices(), 'keras', keras.__version__, 'numpy', numpy.__version__, 'sklearn', sklearn.__version__)"; } 2>&1 | tee "$out/env.txt"
python3 gpu/kit.py run --scale "$scale" --out "$out"
