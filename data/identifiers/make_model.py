"""One command to rebuild the learned identifier model from scratch:

    python data/identifiers/make_model.py

1. generates synthetic labelled notes (data/identifiers/generate.py -> data/identifiers/train.jsonl)
2. trains the candidate-word classifier (riskflag.pipeline.id_model.train_identifier_model)
3. writes models/identifiers/model.joblib + manifest.json (sha256, versions, lexicon fingerprint)

Deterministic for a given seed. Uses synthetic data only (never evaluation corpora).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> None:
    train = HERE / "train.jsonl"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(train)], check=True)
    from riskflag.pipeline.id_model import train_identifier_model

    manifest = train_identifier_model(train, ROOT / "models" / "identifiers")
    print(json.dumps({k: manifest[k] for k in ("min_score", "dev_recall", "dev_precision", "n_train_candidates",
                                                "n_features")}))


if __name__ == "__main__":
    main()
