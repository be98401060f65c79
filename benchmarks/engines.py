"""Compare the scan engines on one corpus: one process, ``--workers N`` and Dask (LocalCluster).

Each engine scans the same notes into its own folder (``riskflag.scan_files``); the script prints
wall time, MB/s and notes/s per engine, the speed-up over one process, and whether every engine's
``findings.jsonl`` (sorted) and ``notes.jsonl`` are identical to the one-process output. Wall time
includes starting the workers and loading the pipeline in each of them, as a user would see it.

    python benchmarks/engines.py                      # all of ../shared/data/notes/mtsamples.jsonl
    python benchmarks/engines.py --limit 1000 --workers 2
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "notes" / "mtsamples.jsonl"


def _digest(path: Path, *, sort: bool) -> str:
    lines = path.read_bytes().splitlines()
    return hashlib.sha256(b"\n".join(sorted(lines) if sort else lines)).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="JSONL notes (id, text)")
    ap.add_argument("--limit", type=int, default=None, help="first N notes only")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="processes for --workers and Dask")
    ap.add_argument("--chunk-size", type=int, default=250)
    ap.add_argument("--engines", default="local,workers,dask", help="comma-separated subset to run")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2

    from riskflag.scan import scan_files

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with open(args.corpus, encoding="utf-8") as src, open(corpus, "w", encoding="utf-8") as dst:
            dst.writelines(itertools.islice(src, args.limit))
        runs = {"local": {}, "workers": {"workers": args.workers},
                "dask": {"engine": "dask", "workers": args.workers}}
        results = {}
        for name in args.engines.split(","):
            out = Path(tmp) / name
            t0 = time.perf_counter()
            stats = scan_files([corpus], out, chunk_size=args.chunk_size, progress=False, **runs[name])
            seconds = time.perf_counter() - t0
            results[name] = {
                "seconds": round(seconds, 2), "notes": stats.notes, "mb_s": round(stats.chars / 1e6 / seconds, 4),
                "notes_s": round(stats.notes / seconds, 2), "workers": runs[name].get("workers", 1),
                "findings_sha": _digest(out / "findings.jsonl", sort=True),
                "notes_sha": _digest(out / "notes.jsonl", sort=False),
            }
    base = results.get("local")
    print(f"corpus: {args.corpus.name}  notes: {next(iter(results.values()))['notes']}  cpus: {os.cpu_count()}")
    for name, r in results.items():
        speedup = f"  speed-up x{base['seconds'] / r['seconds']:.2f}" if base and name != "local" else ""
        same = ""
        if base and name != "local":
            same = "  identical findings+notes" if (r["findings_sha"], r["notes_sha"]) == (
                base["findings_sha"], base["notes_sha"]) else "  OUTPUT DIFFERS FROM local"
        print(f"{name:8s} workers={r['workers']}  {r['seconds']:8.1f} s  {r['mb_s']:.3f} MB/s  "
              f"{r['notes_s']:.1f} notes/s{speedup}{same}")
    print(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "corpus": args.corpus.name, "limit": args.limit,
                      "results": results}))
    differ = base and any(r["findings_sha"] != base["findings_sha"] or r["notes_sha"] != base["notes_sha"]
                          for r in results.values())
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
