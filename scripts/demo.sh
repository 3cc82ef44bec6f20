#!/usr/bin/env bash
# The main job on built-in defaults: evaluate the shipped example samples on the built-in efficiency suite,
# then optimize a slow function of the shipped example project offline (numba; the file is not modified).
# Before that, what this machine supports and the sandbox stopping two hostile calls.
# Results go to effilab-results.sqlite; running this again resumes (nothing finished is recomputed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh numba
effilab=.venv/bin/effilab
$effilab doctor
echo; echo "$ effilab exec examples/hostile.py --entry steal --args '[\"$HOME/.bashrc\"]'"
$effilab exec examples/hostile.py --entry steal --args "[\"$HOME/.bashrc\"]"
echo; echo "$ effilab exec examples/hostile.py --entry spin --timeout 1"
$effilab exec examples/hostile.py --entry spin --timeout 1
echo; echo "$ effilab evaluate --suite effilab --samples examples/effilab-samples.jsonl --k 1"
$effilab evaluate --suite effilab --samples examples/effilab-samples.jsonl --k 1
echo; echo "$ effilab optimize examples/optimize/analytics/analytics/series.py::max_drawdown"
# Exit status 1 means "no faster version accepted", an honest outcome rather than a failure of the demo.
$effilab optimize examples/optimize/analytics/analytics/series.py::max_drawdown || [ $? -eq 1 ]
