#!/usr/bin/env bash
# The main job on built-in defaults. Until evaluation lands: what this machine supports, the sandbox at work
# on the shipped examples (a correct call, a hostile one, one that never returns), and a measured comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
effilab=.venv/bin/effilab
$effilab doctor
echo; echo "$ effilab exec examples/primes.py --entry count_primes --args '[1000000]'"
$effilab exec examples/primes.py --entry count_primes --args '[1000000]'
echo; echo "$ effilab exec examples/hostile.py --entry steal --args '[\"$HOME/.bashrc\"]'"
$effilab exec examples/hostile.py --entry steal --args "[\"$HOME/.bashrc\"]"
echo; echo "$ effilab exec examples/hostile.py --entry spin --timeout 1"
$effilab exec examples/hostile.py --entry spin --timeout 1
echo; echo "$ effilab compare examples/dedupe_slow.py examples/dedupe_fast.py --entry dedupe --inputs examples/dedupe_gen.py --size 2000"
$effilab compare examples/dedupe_slow.py examples/dedupe_fast.py --entry dedupe --inputs examples/dedupe_gen.py --size 2000
