"""Print label x context and style counts for risk data files.

python data/risk/stats.py [FILE ...]   (default: train.jsonl and eval_fresh.jsonl next to this script)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

LABELS = ("self_harm", "harm_to_others", "abuse_neglect")
CONTEXTS = ("current", "negated", "historical", "hypothetical", "experiencer", "idiom", "unrelated")
STYLES = (
    "soap",
    "mse",
    "template",
    "narrative",
    "quote",
    "abbrev",
    "nursing",
    "checkbox",
    "transcript",
)
RISK_RE = re.compile(
    r"\b(suicid\w*|kill\w*|die|dead|death|harm\w*|hurt\w*|cut\w*|overdos\w*|abus\w*|neglect\w*|hit|"
    r"assault\w*|threat\w*|shoot\w*|shot|stab(?:bed|bing|s)?|chok\w*|guns?|weapons?|safe at home)\b",
    re.I,
)
ABBR_RE = re.compile(r"(?<![A-Za-z])(SI|HI|IPV|DV|OD|NSSI)(?![A-Za-z])")


def main(paths):
    here = Path(__file__).resolve().parent
    paths = [Path(p) for p in paths] or [here / "train.jsonl", here / "eval_fresh.jsonl"]
    for path in paths:
        if not path.exists():
            continue
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        print(f"\n## {path.name}: {len(rows)} passages")
        print("| context | n | " + " | ".join(LABELS) + " |")
        print("|---|---|" + "---|" * len(LABELS))
        for ctx in CONTEXTS:
            sub = [r for r in rows if r["context"] == ctx]
            print(
                f"| {ctx} | {len(sub)} | "
                + " | ".join(str(sum(r[lab] for r in sub)) for lab in LABELS)
                + " |"
            )
        print(
            f"| **total** | {len(rows)} | "
            + " | ".join(str(sum(r[lab] for r in rows)) for lab in LABELS)
            + " |"
        )
        multi = sum(1 for r in rows if sum(r[lab] for lab in LABELS) > 1)
        neg = [r for r in rows if not any(r[lab] for lab in LABELS)]
        hard = [r for r in neg if r["context"] != "unrelated"]
        print(
            f"\nmulti-label rows: {multi}; negatives: {len(neg)} ({len(neg) / len(rows):.0%}); "
            f"hard negatives (risk words, context != unrelated): {len(hard)} ({len(hard) / len(rows):.0%}); "
            f"unrelated: {len(neg) - len(hard)} ({(len(neg) - len(hard)) / len(rows):.0%})"
        )
        styles = Counter(r["style"] for r in rows)
        print("styles: " + ", ".join(f"{s} {styles[s]}" for s in STYLES))
        sources = Counter(r["source"] for r in rows)
        print("sources: " + ", ".join(f"{k} {v}" for k, v in sorted(sources.items())))
        unrel_hits = [
            r
            for r in rows
            if r["context"] == "unrelated"
            and (RISK_RE.search(r["text"]) or ABBR_RE.search(r["text"]))
        ]
        if unrel_hits:
            print(
                f"warning: {len(unrel_hits)} 'unrelated' rows contain a risk-looking word, e.g. "
                + "; ".join(r["id"] for r in unrel_hits[:5])
            )


if __name__ == "__main__":
    main(sys.argv[1:])
