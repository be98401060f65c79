"""Command line: thin commands that parse options and call library functions.

Exit codes (all commands):
  0  done; for scan/redact: every note scanned and none needs review
  1  scan/redact: at least one note needs duty-to-warn review (current risk finding)
  2  usage error (bad option, missing input, missing column)
  3  scan/redact: some records failed (they have status "error" in notes.jsonl)
  4  rules or model error (invalid rule file, tampered or missing model)
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ._version import __version__
from .errors import InputError, ModelError, RiskflagError, RulesError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_REVIEW", "EXIT_USAGE", "EXIT_RECORD_ERRORS", "EXIT_FATAL"]

EXIT_OK, EXIT_REVIEW, EXIT_USAGE, EXIT_RECORD_ERRORS, EXIT_FATAL = 0, 1, 2, 3, 4
log = logging.getLogger("riskflag")

EPILOG = """exit codes:
  0  scanned; no note needs review      1  at least one note needs review
  2  usage error                        3  some records failed (status "error")
  4  rules or model error
Logs, progress and errors never contain note text."""


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    pass


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="CSV, TSV, JSONL, Parquet, .txt file, folder of .txt files, or '-' for stdin (JSONL)")
    p.add_argument("--input-format", choices=["csv", "tsv", "jsonl", "parquet", "txt", "dir"], default=None,
                   help="input format (default: from the file extension)")
    p.add_argument("--id-col", default=None, help="column holding the note id (default: auto-detect, e.g. id, note_id)")
    p.add_argument("--text-col", default=None, help="column holding the note text (default: auto-detect, e.g. text, note_text)")


def _add_scan_options(p: argparse.ArgumentParser, *, redact_command: bool) -> None:
    _add_input_options(p)
    p.add_argument("--out", required=True, type=Path, help="output folder (created if missing)")
    p.add_argument("--output-format", choices=["jsonl", "parquet"], default="jsonl", help="table format of the outputs")
    p.add_argument("--include-text", action="store_true",
                   help="add the matched text to each finding (the output then contains identifiers: protect it)")
    if not redact_command:
        p.add_argument("--redact", action="store_true", help="also write redacted.jsonl (identifiers replaced by [LABEL])")
        p.add_argument("--report", action="store_true",
                       help="also write report.html, the HTML review page (it contains note text: protect it)")
    p.add_argument("--identifier-threshold", type=float, default=None,
                   help="minimum identifier score (default: the recall-first threshold of the pipeline)")
    p.add_argument("--surrogates", action="store_true",
                   help="redact with consistent realistic fake values (same name -> same surrogate, dates shifted "
                        "by one per-note offset) instead of [LABEL] tags")
    p.add_argument("--model", default=None, help="risk model folder (default: the shipped model)")
    if not redact_command:
        p.add_argument("--no-risk", action="store_true", help="skip risk detection (identifiers only)")
        p.add_argument("--no-identifiers", action="store_true", help="skip identifier detection (risk only)")
    p.add_argument("--batch-size", type=int, default=64, help="notes per nlp.pipe batch")
    p.add_argument("--max-chars", type=int, default=5_000_000,
                   help="notes longer than this get status error E206 instead of being scanned")
    p.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                   help="progress bar on stderr (auto: only when stderr is a terminal)")
    g = p.add_argument_group("parallel and resumable runs")
    g.add_argument("--workers", type=int, default=1,
                   help="scan in N processes on this machine (with --engine dask: the size of the local cluster)")
    g.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="where chunks are scanned: this machine, or a Dask cluster (pip install 'riskflag[dask]')")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a local cluster)")
    g.add_argument("--resume", action="store_true",
                   help="continue an interrupted scan into the same --out folder (same inputs and options): "
                        "chunks already written are kept, the rest is scanned")
    g.add_argument("--chunk-size", type=int, default=500,
                   help="notes per output chunk (the unit of atomic writing, resuming and parallel work)")


def _add_report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="scan output folder (notes/findings as JSONL or Parquet)")
    p.add_argument("--notes", nargs="+", metavar="INPUT", default=None,
                   help="the scanned notes (same files, same order), to show the text with highlights")
    p.add_argument("--input-format", choices=["csv", "tsv", "jsonl", "parquet", "txt", "dir"], default=None,
                   help="format of --notes (default: from the file extension)")
    p.add_argument("--id-col", default=None, help="id column of --notes (default: auto-detect)")
    p.add_argument("--text-col", default=None, help="text column of --notes (default: auto-detect)")
    p.add_argument("--out", type=Path, default=None, help="HTML file to write (default: DIR/report.html)")
    p.add_argument("--redact-text", action="store_true", help="show the text with identifiers replaced by [LABEL]")
    p.add_argument("--max-notes", type=int, default=2000,
                   help="most notes in the page (needing review first; the page says how many were left out)")


LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand accepts (so ``riskflag scan ... --log-level DEBUG`` works)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--log-level", choices=LOG_LEVELS, default=argparse.SUPPRESS,
                   help="logging level (logs never contain note text; default WARNING)")
    return p


def add_command(sub: argparse._SubParsersAction, name: str, *, help: str, description: str,
                epilog: str | None = None) -> argparse.ArgumentParser:
    """Add a subcommand with the shared options and formatter (used by every command module)."""
    return sub.add_parser(name, help=help, description=description, epilog=epilog,
                          formatter_class=_Formatter, parents=[common_options()])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="riskflag",
        description="Flag duty-to-warn risk passages and HIPAA identifiers in clinical notes.",
        epilog=EPILOG, formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"riskflag {__version__}")
    parser.add_argument("--log-level", default="WARNING", choices=LOG_LEVELS,
                        help="logging level (logs never contain note text)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = add_command(sub, "scan", help="scan notes for risk passages and identifiers",
                    description="Scan notes; write findings.jsonl, notes.jsonl and summary.json to --out.",
                    epilog=EPILOG)
    _add_scan_options(p, redact_command=False)
    p.set_defaults(func=cmd_scan)

    p = add_command(sub, "redact", help="write a redacted copy of notes",
                    description="Replace identifiers by [LABEL]; write redacted.jsonl and notes.jsonl to --out.",
                    epilog=EPILOG)
    _add_scan_options(p, redact_command=True)
    p.set_defaults(func=cmd_redact)

    p = add_command(sub, "info", help="show versions, pipeline components and rule files",
                    description="Show riskflag, spaCy and scikit-learn versions, the pipeline and rule files.")
    p.set_defaults(func=cmd_info)

    p = add_command(sub, "rules", help="check rule files", description="Validate rule files and run their inline examples.")
    rsub = p.add_subparsers(dest="rules_command", metavar="SUBCOMMAND")
    rsub.required = True
    rp = add_command(rsub, "check", help="validate the shipped rule files and run their examples",
                     description="Validate the shipped rule files and run their inline examples.")
    rp.set_defaults(func=cmd_rules_check)

    p = add_command(sub, "report", help="write the HTML review report of a scan",
                    description="Write one self-contained HTML page from a scan output folder: notes needing review "
                                "first, risk passages and identifiers highlighted in the note text (with --notes), "
                                "filters by label and review status. With --notes the page contains note text (PHI).")
    _add_report_options(p)
    p.set_defaults(func=cmd_report)

    p = add_command(sub, "train", help="train a risk model on labelled passages",
                    description="Train a risk model on a labelled table (CSV, TSV, JSONL or Parquet) with a 'text' "
                                "column and 0/1 columns per risk label; write model.joblib and manifest.json to --out. "
                                "Thresholds are chosen on out-of-fold scores for --target-recall.")
    _add_train_options(p)
    p.set_defaults(func=cmd_train)

    p = add_command(sub, "evaluate", help="evaluate a risk model on labelled passages",
                    description="Per-label precision, recall, F1, PR-AUC and calibration of MODEL on DATA at the "
                                "model's thresholds, any-risk recall and the flagged share per context type. With "
                                "--cv K, a K-fold cross-validated estimate of training on DATA instead.")
    _add_evaluate_options(p)
    p.set_defaults(func=cmd_evaluate)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


#: functions that add more subcommands (train, evaluate, ...): ``register(subparsers)``
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _register_evaluate_identifiers(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "evaluate-identifiers", help="token-level identifier recall/precision on labelled JSONL",
                    description="Run identifier detection on labelled JSONL ({\"id\",\"text\",\"spans\":[{\"start\",\"end\","
                                "\"label\"}]}) and report token-level recall and precision (tokens = runs of letters "
                                "and digits), recall per gold label, and the most frequent missed and false tokens. "
                                "Those lists print text from YOUR labelled file (use --top 0 to omit them).")
    p.add_argument("gold", type=Path, metavar="GOLD.jsonl", help="labelled JSONL file")
    p.add_argument("--identifier-threshold", type=float, default=None, help="minimum identifier score")
    p.add_argument("--top", type=int, default=20, help="how many missed/false tokens to list (0: none)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_evaluate_identifiers)


def cmd_evaluate_identifiers(args: argparse.Namespace) -> int:
    import json

    from .identifier_eval import evaluate_identifiers

    result = evaluate_identifiers(args.gold, identifier_threshold=args.identifier_threshold)
    report = result.to_dict(top=max(0, args.top))
    if args.json:
        print(json.dumps(report, indent=2))
        return EXIT_OK
    print(f"notes: {report['notes']}  gold tokens: {report['gold_tokens']}  predicted tokens: {report['predicted_tokens']}")
    print(f"token recall: {report['recall']:.4f}  precision: {report['precision']:.4f}  f1: {report['f1']:.4f}")
    print("recall by gold label:")
    for lab, r in report["recall_by_label"].items():
        print(f"  {lab:12s} {r:.4f}  ({report['gold_tokens_by_label'][lab]} tokens)")
    if args.top > 0:
        print("note: the lists below print text from your own labelled file")
        print("top missed tokens: " + ", ".join(f"{t} ({n})" for t, n in report["top_missed"]))
        print("top false tokens: " + ", ".join(f"{t} ({n})" for t, n in report["top_false"]))
    return EXIT_OK


EXTRA_COMMANDS.append(_register_evaluate_identifiers)


def _configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("riskflag %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("riskflag")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def cmd_scan(args: argparse.Namespace) -> int:
    from .scan import scan_files

    stats = scan_files(
        args.inputs, args.out,
        input_format=args.input_format, id_col=args.id_col, text_col=args.text_col,
        output_format=args.output_format, include_text=args.include_text,
        redact=getattr(args, "redact", False) or args.command == "redact",
        identifiers=not getattr(args, "no_identifiers", False),
        risk=not getattr(args, "no_risk", False) and args.command != "redact",
        identifier_threshold=args.identifier_threshold, model=args.model,
        batch_size=args.batch_size, max_chars=args.max_chars,
        progress={"auto": None, "always": True, "never": False}[args.progress],
        surrogates=getattr(args, "surrogates", False),
        workers=args.workers, engine=args.engine, scheduler=args.scheduler, resume=args.resume,
        chunk_size=args.chunk_size,
    )
    codes = ", ".join(f"{k}: {v}" for k, v in sorted(stats.error_codes.items()))
    mb = stats.chars / 1e6
    print(
        f"riskflag: {stats.notes} notes ({stats.ok} ok, {stats.errors} error{f' [{codes}]' if codes else ''}"
        f"{f', {stats.duplicate_ids} duplicate ids' if stats.duplicate_ids else ''}); "
        f"{stats.review} need review; {stats.identifiers} identifiers; {stats.risk} risk findings "
        f"({stats.current_risk} current); {stats.seconds:.1f}s"
        f"{f', {mb / stats.seconds:.2f} MB/s' if stats.seconds > 0 else ''} -> {args.out}",
        file=sys.stderr,
    )
    if getattr(args, "report", False):
        from .report import write_report

        files = [p for p in args.inputs if str(p) != "-"]
        if len(files) < len(args.inputs):
            log.warning("notes read from standard input cannot be shown in the report; it shows findings only")
        info = write_report(args.out, notes=files if len(files) == len(args.inputs) else None,
                            input_format=args.input_format, id_col=args.id_col, text_col=args.text_col)
        print(f"riskflag: report ({info.notes_shown} of {info.notes_total} notes) -> {info.path}", file=sys.stderr)
    if stats.errors:
        return EXIT_RECORD_ERRORS
    return EXIT_REVIEW if stats.review else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    info = write_report(args.dir, notes=args.notes, out=args.out, redact_text=args.redact_text,
                        max_notes=args.max_notes, input_format=args.input_format, id_col=args.id_col,
                        text_col=args.text_col)
    left = f"; {info.notes_left_out} left out (--max-notes)" if info.notes_left_out else ""
    text = ("with redacted note text" if info.redacted else "with note text: protect it") if info.with_text else "without note text"
    print(f"riskflag: report of {info.notes_shown} notes ({info.review_total} need review{left}), {text} -> {info.path}",
          file=sys.stderr)
    return EXIT_OK


def cmd_redact(args: argparse.Namespace) -> int:
    return cmd_scan(args)


def cmd_info(args: argparse.Namespace) -> int:
    import sklearn
    import spacy

    from .pipeline import build_nlp
    from .rules import rules_version

    nlp = build_nlp()
    print(f"riskflag {__version__}\nspaCy {spacy.__version__}\nscikit-learn {sklearn.__version__}")
    print(f"rules {rules_version()}")
    print("pipeline: " + " -> ".join(nlp.pipe_names))
    try:
        from .model import describe_default_model

        print(describe_default_model())
    except ImportError:
        print("risk model: not available in this build")
    return EXIT_OK


def _add_train_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", metavar="DATA", type=Path, nargs="+",
                   help="labelled table(s): .csv, .tsv, .jsonl or .parquet (several are concatenated)")
    p.add_argument("--out", required=True, type=Path, help="model folder to write (e.g. models/my-model)")
    p.add_argument("--labels", default=",".join(_risk_labels()), help="comma-separated label columns to train")
    p.add_argument("--text-col", default="text", help="column holding the passage text")
    p.add_argument("--target-recall", type=float, default=0.95, help="recall each label's threshold must keep")
    p.add_argument("--cv", type=int, default=5, help="folds for the out-of-fold scores that set the thresholds")
    p.add_argument("--holdout", type=float, default=0.2,
                   help="share of rows kept aside to report held-out metrics before refitting on all rows (0: none)")
    p.add_argument("--seed", type=int, default=0, help="random seed for the folds and the holdout split")
    p.add_argument("--group-regex", default=None, metavar="REGEX",
                   help="group rows by the first capture group of REGEX in their id (e.g. '^(gen-.+)-[0-9]+$' keeps "
                        "variants of one template together; ids that do not match are their own group); splits "
                        "never separate a group")
    p.add_argument("--C", type=float, default=100.0, help="inverse regularisation strength of the classifiers")
    p.add_argument("--json", action="store_true", help="print the training report as JSON")


def _add_evaluate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", metavar="MODEL", help="model folder (with manifest.json), or 'default' for the shipped model")
    p.add_argument("data", metavar="DATA", type=Path, help="labelled table: .csv, .tsv, .jsonl or .parquet")
    p.add_argument("--text-col", default="text", help="column holding the passage text")
    p.add_argument("--cv", type=int, default=None, metavar="K",
                   help="instead of scoring MODEL, estimate K-fold cross-validated metrics of training on DATA")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.add_argument("--plots", "--plots-dir", dest="plots_dir", type=Path, default=None, metavar="DIR", help="write PR curves, calibration and context PNGs here")
    p.add_argument("--show-errors", action="store_true",
                   help="print the misclassified passages, text included (your own data: keep the output private)")


def _risk_labels() -> tuple[str, ...]:
    from .types import RISK_LABELS

    return RISK_LABELS


def _progress_log(msg: str) -> None:
    log.info("%s", msg)


def cmd_train(args: argparse.Namespace) -> int:
    import json

    import pandas as pd

    from .train import format_metrics, read_table, save_trained, train

    frames = [read_table(p) for p in args.data]
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    labels = tuple(x.strip() for x in args.labels.split(",") if x.strip())
    groups = None
    if args.group_regex:
        if "id" not in df.columns:
            raise InputError("--group-regex needs an 'id' column", code="E111")
        ids = pd.Series([f"row-{i}" if v is None or v != v else str(v) for i, v in enumerate(df["id"].tolist())])
        groups = ids.str.extract(args.group_regex, expand=False).fillna(ids).tolist()
    model, report = train(df, labels=labels, text_col=args.text_col, target_recall=args.target_recall, cv=args.cv,
                          holdout=args.holdout, seed=args.seed, params={"C": args.C}, groups=groups,
                          progress=_progress_log)
    out = save_trained(model, report, args.out, data_path=args.data)
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "errors"}, indent=2, default=float))
    else:
        if "holdout" in report:
            h = report["holdout"]
            print(format_metrics(h, title=f"held-out split: {h['rows']} passages (model fitted on {h['rows_train']})"))
            print()
        print(format_metrics(report["oof"], title=f"out-of-fold ({args.cv} folds) on all {report['rows']} passages"))
        print("thresholds: " + ", ".join(f"{k} {v:.3f}" for k, v in report["thresholds"].items()))
    print(f"riskflag: model written to {out} ({report['seconds']}s)", file=sys.stderr)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from .train import cross_validate, evaluate, format_metrics, read_table

    df = read_table(args.data)
    if args.cv is not None:
        from .model import load_model

        model = load_model(None if args.model == "default" else args.model)
        params = model.manifest.get("training", {}).get("params", {})
        res = cross_validate(df, args.cv, labels=model.labels, text_col=args.text_col,
                             target_recall=float(model.manifest.get("target_recall", 0.95)), params=params,
                             progress=_progress_log)
        if args.json:
            print(json.dumps(res, indent=2, default=float))
        else:
            print(f"{args.cv}-fold cross-validation on {len(df)} passages (mean ± sd)")
            for lab, d in res["labels"].items():
                print(f"  {lab:<16}" + "  ".join(f"{k} {v['mean']:.3f}±{v['sd']:.3f}" for k, v in d.items()))
            print(f"  macro F1 {res['macro_f1']['mean']:.3f}±{res['macro_f1']['sd']:.3f}; any-risk recall "
                  f"{res['any_risk_recall']['mean']:.3f}±{res['any_risk_recall']['sd']:.3f}")
            if "non_current_flagged_share" in res:
                v = res["non_current_flagged_share"]
                print(f"  non-current passages flagged current {v['mean']:.1%}±{v['sd']:.1%}")
        return EXIT_OK
    from .model import load_model

    model = load_model(None if args.model == "default" else args.model)
    res = evaluate(model, df, text_col=args.text_col, show_errors=args.show_errors, plots_dir=args.plots_dir)
    errors = res.pop("errors", None)
    if args.json:
        print(json.dumps(res, indent=2, default=float))
    else:
        print(format_metrics(res, title=f"{model.model_id} on {Path(args.data).name}"))
        if res.get("plots"):
            print("plots: " + ", ".join(res["plots"]))
    if errors is not None:
        print(f"# {len(errors)} misclassified passage/label pairs (text from your data follows)", file=sys.stderr)
        for e in errors:
            print(json.dumps(e, ensure_ascii=False), file=sys.stderr)
    return EXIT_OK


def cmd_rules_check(args: argparse.Namespace) -> int:
    from .rule_check import check_all

    problems, checked = check_all()
    for p in problems:
        print(p, file=sys.stderr)
    print(f"rules: {checked} examples checked, {len(problems)} problem(s)")
    return EXIT_FATAL if problems else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    _configure_logging(args.log_level)
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"riskflag: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (RulesError, ModelError) as exc:
        print(f"riskflag: error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except RiskflagError as exc:
        print(f"riskflag: error: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.code.startswith("E5") else EXIT_FATAL
    except KeyboardInterrupt:
        hint = " (the chunks written so far are kept: run the same command with --resume to continue)" \
            if getattr(args, "command", None) in ("scan", "redact") else ""
        print(f"riskflag: interrupted{hint}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
