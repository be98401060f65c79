"""Throughput and memory benchmark for riskflag.

Scans a JSONL corpus (default ../shared/data/notes/mtsamples.jsonl) end to end — reading,
the full spaCy pipeline, the risk model, writing findings/notes — and, in the same run, spaCy's
blank English tokenizer over the same texts. Each phase runs in its own process so its peak
memory (max RSS) is its own. Prints MB/s, notes/s, peak memory and the scan/tokenizer ratio,
compares with the previous run recorded in benchmarks/results.jsonl, and appends this run.

    python benchmarks/bench.py                    # whole corpus
    python benchmarks/bench.py --limit 500        # quick look
    python benchmarks/bench.py --repeat 3         # stream the corpus 3x: peak memory must not grow
    python benchmarks/bench.py --limit 800 --components   # CPU seconds per pipeline component
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "notes" / "mtsamples.jsonl"
RESULTS = HERE / "results.jsonl"


def _texts(path: Path, limit: int | None, repeat: int) -> Iterator[str]:
    for _ in range(repeat):
        with open(path, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if limit is not None and i >= limit:
                    break
                yield json.loads(line)["text"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _tokenizer_phase(path: str, limit: int | None, repeat: int, q: mp.Queue) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 10_000_000
    nbytes = notes = 0
    t0 = time.perf_counter()
    for doc in nlp.pipe(_texts(Path(path), limit, repeat), batch_size=64):
        nbytes += len(doc.text.encode("utf-8"))
        notes += 1
    q.put({"seconds": time.perf_counter() - t0, "bytes": nbytes, "notes": notes, "peak_mb": _peak_mb()})


def _time_components(scanner, seconds: dict) -> None:
    """Wrap the tokenizer, every pipeline component and the risk model's ``find`` so their CPU
    seconds add up in ``seconds`` (``--components``; the wrappers cost a little themselves)."""
    nlp = scanner.nlp

    def timed(name, fn):
        def run(*args, **kwargs):
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.process_time() - t
        return run

    nlp.tokenizer = timed("tokenizer", nlp.tokenizer)
    for i, (name, proc) in enumerate(list(nlp._components)):  # no public API swaps a component's callable
        nlp._components[i] = (name, timed(name, proc))
    if scanner.risk_model is not None:
        scanner.risk_model.find = timed("risk model (passages, features, scores)", scanner.risk_model.find)


def _scan_phase(path: str, limit: int | None, repeat: int, options: dict, q: mp.Queue) -> None:
    from riskflag.outputs import OutputSet
    from riskflag.scan import iter_results, make_scanner

    components = options.pop("components", False)
    t_load = time.perf_counter()
    scanner = make_scanner(**options)
    load_s = time.perf_counter() - t_load
    seconds: dict = {}
    if components:
        _time_components(scanner, seconds)
    cpu0 = time.process_time()
    nbytes = notes = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = OutputSet(tmp)
        t0 = time.perf_counter()
        for r in iter_results(_texts(Path(path), limit, repeat), scanner=scanner):
            out.write(r)
            nbytes += len((r.note.text or "").encode("utf-8"))
            notes += 1
        out.close()
        elapsed = time.perf_counter() - t0
    q.put({"seconds": elapsed, "bytes": nbytes, "components": seconds, "cpu_seconds": time.process_time() - cpu0, "notes": notes, "peak_mb": _peak_mb(), "load_seconds": load_s,
           "review": scanner.stats.review, "identifiers": scanner.stats.identifiers, "risk": scanner.stats.risk,
           "errors": scanner.stats.errors, "model": bool(scanner.risk_model)})


def _run(target, *args) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
    p.start()
    result = q.get()
    p.join()
    return result


def _fmt(name: str, r: dict) -> str:
    mb = r["bytes"] / 1e6
    return (f"{name:<10} {mb:7.2f} MB {r['notes']:7d} notes {r['seconds']:8.2f} s "
            f"{mb / r['seconds']:7.3f} MB/s {r['notes'] / r['seconds']:8.1f} notes/s  peak {r['peak_mb']:7.0f} MB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="JSONL with a 'text' field")
    ap.add_argument("--limit", type=int, default=None, help="first N notes only")
    ap.add_argument("--repeat", type=int, default=1, help="stream the corpus N times")
    ap.add_argument("--no-risk", action="store_true", help="identifiers only")
    ap.add_argument("--no-record", action="store_true", help="do not append to benchmarks/results.jsonl")
    ap.add_argument("--components", action="store_true",
                    help="also print CPU seconds per pipeline component (not recorded: the timers cost a little)")
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    options = {"risk": not args.no_risk}
    tok = _run(_tokenizer_phase, str(args.corpus), args.limit, args.repeat)
    scan = _run(_scan_phase, str(args.corpus), args.limit, args.repeat, {**options, "components": args.components})
    ratio = (scan["bytes"] / scan["seconds"]) / (tok["bytes"] / tok["seconds"])
    print(_fmt("tokenizer", tok))
    print(_fmt("scan", scan))
    print(f"scan/tokenizer throughput ratio: {ratio:.3f} (bar: >= 0.25)   model loaded: {scan['model']}  "
          f"pipeline load {scan['load_seconds']:.1f} s")
    print(f"notes for review: {scan['review']} / {scan['notes']}  identifiers: {scan['identifiers']}  "
          f"risk findings: {scan['risk']}  errors: {scan['errors']}")
    if scan["components"]:
        cpu = scan["cpu_seconds"]
        print(f"CPU seconds per component (scan phase {cpu:.2f} s CPU):")
        for name, sec in sorted(scan["components"].items(), key=lambda kv: -kv[1]):
            print(f"  {name:<42} {sec:7.2f} s  {100 * sec / cpu:5.1f}%")
        rest = cpu - sum(scan["components"].values())
        print(f"  {'other (reading, findings, writing)':<42} {rest:7.2f} s  {100 * rest / cpu:5.1f}%")
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "corpus": args.corpus.name, "limit": args.limit,
        "repeat": args.repeat, "options": options, "python": platform.python_version(),
        "tokenizer_mb_s": tok["bytes"] / 1e6 / tok["seconds"], "scan_mb_s": scan["bytes"] / 1e6 / scan["seconds"],
        "scan_notes_s": scan["notes"] / scan["seconds"], "scan_peak_mb": scan["peak_mb"], "ratio": ratio,
    }
    previous = None
    if RESULTS.is_file():
        same = [json.loads(x) for x in RESULTS.read_text().splitlines() if x.strip()]
        same = [x for x in same if x.get("corpus") == record["corpus"] and x.get("limit") == args.limit
                and x.get("repeat") == args.repeat and x.get("options") == options]
        previous = same[-1] if same else None
    if previous:
        print(f"previous ({previous['when']}): scan {previous['scan_mb_s']:.3f} MB/s, ratio {previous['ratio']:.3f}, "
              f"peak {previous['scan_peak_mb']:.0f} MB  ->  now {record['scan_mb_s']:.3f} MB/s "
              f"({(record['scan_mb_s'] / previous['scan_mb_s'] - 1) * 100:+.1f}%), ratio {ratio:.3f}, "
              f"peak {record['scan_peak_mb']:.0f} MB")
    else:
        print("previous: none recorded for these settings")
    if not args.no_record and not args.components:
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
