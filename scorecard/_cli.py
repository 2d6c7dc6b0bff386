"""``infoscore fit`` and ``infoscore score``: the scorecard sub-commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["register_fit", "register_score"]


#: Sections of a fit config and the keys of [data] (the others: the estimators).
CONFIG_SECTIONS = ("data", "binner", "model", "infoscore")
DATA_KEYS = ("train", "test", "target", "bad_value", "exclude", "categorical")
#: Estimator parameters the command sets itself (never from a config).
RESERVED = {
    "binner": {"bad_value": "set [data] bad_value (the target label meaning bad)"},
    "model": {
        "binner": "use the [binner] section",
        "encoding": "use kind = 'woe' or 'onehot'",
        "bad_value": "set [data] bad_value (the target label meaning bad)",
    },
}
KINDS = ("woe", "onehot", "boosted")


def register_fit(subparsers: Any) -> None:
    """Add ``infoscore fit``."""
    parser = subparsers.add_parser(
        "fit",
        help="fit a scorecard (WoE, one-hot or boosted) to CSV/Parquet data",
        description=(
            "Fit a scorecard. Every setting can come from --config (TOML or JSON "
            "with sections [data], [binner], [model]); command-line flags "
            "override the file, and the effective config is written next to "
            "--out (<name>.config.json) so the run can be repeated with "
            "--config."
        ),
    )
    parser.add_argument(
        "data", nargs="?", help="training data (.csv, .parquet); or [data] train"
    )
    parser.add_argument("--config", help="config file (.toml or .json)")
    parser.add_argument("--target", help="target column")
    parser.add_argument(
        "--bad-value", help="value of the target meaning bad (default: target is 0/1)"
    )
    parser.add_argument(
        "--exclude", nargs="*", default=None, help="columns that are not features"
    )
    parser.add_argument("--test", help="held-out labelled data for the report")
    parser.add_argument(
        "--kind", choices=KINDS, help="model: WoE (default), one-hot or boosted"
    )
    parser.add_argument(
        "--categorical",
        nargs="+",
        action="extend",
        help="numeric-looking columns to bin as categories (text columns are)",
    )
    parser.add_argument(
        "--special",
        action="append",
        metavar="COL=V1,V2",
        help="special values of a column, each its own bin (repeatable)",
    )
    binning = parser.add_argument_group("binning ([binner] section)")
    binning.add_argument("--max-n-bins", type=int, help="most bins per feature")
    binning.add_argument(
        "--min-bin-size", type=float, help="smallest bin as a share of rows"
    )
    binning.add_argument(
        "--monotonic-trend",
        help="auto, ascending, descending, peak, valley or none",
    )
    points = parser.add_argument_group("points scaling ([model] section)")
    points.add_argument("--pdo", type=float, help="points to double the odds")
    points.add_argument("--base-score", type=float, help="score at --base-odds")
    points.add_argument("--base-odds", type=float, help="good:bad odds of base score")
    points.add_argument(
        "--rounding",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="round every bin's points to an integer",
    )
    parser.add_argument(
        "--selection",
        action="append",
        metavar="KEY=VALUE",
        help="a variable-selection setting ([model] selection; repeatable)",
    )
    parser.add_argument(
        "--set",
        action="append",
        metavar="SECTION.KEY=VALUE",
        help="any config key, e.g. binner.smoothing=1 (VALUE read as JSON)",
    )
    parser.add_argument("--out", required=True, help="artifact path (.json)")
    parser.add_argument("--report", help="also write the HTML scorecard report here")
    parser.set_defaults(func=_run_fit)


def _flag_settings(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """The sections the command-line flags set (only flags that were given)."""
    from ._kit.cli import parse_assignment

    given: dict[str, dict[str, Any]] = {"data": {}, "binner": {}, "model": {}}
    for key, value in (
        ("train", args.data),
        ("test", args.test),
        ("target", args.target),
        ("bad_value", args.bad_value),
        ("exclude", args.exclude),
        ("categorical", args.categorical),
    ):
        if value is not None:
            given["data"][key] = value
    trend = args.monotonic_trend
    for section, key, value in (
        ("binner", "max_n_bins", args.max_n_bins),
        ("binner", "min_bin_size", args.min_bin_size),
        ("binner", "monotonic_trend", None if trend in (None, "none") else trend),
        ("model", "kind", args.kind),
        ("model", "pdo", args.pdo),
        ("model", "base_score", args.base_score),
        ("model", "base_odds", args.base_odds),
        ("model", "rounding", args.rounding),
    ):
        if value is not None:
            given[section][key] = value
    if trend == "none":
        given["binner"]["monotonic_trend"] = None
    for text in args.set or []:
        path, value = parse_assignment(text, "--set")
        section, _, key = path.partition(".")
        if section not in given or not key:
            raise ValueError(
                f"--set takes SECTION.KEY=VALUE with SECTION data, binner or "
                f"model; got {text!r}."
            )
        head, _, sub = key.partition(".")
        if sub:  # model.selection.min_iv=0.02
            given[section].setdefault(head, {})[sub] = value
        else:
            given[section][key] = value
    for text in args.selection or []:
        key, value = parse_assignment(text, "--selection")
        given["model"].setdefault("selection", {})[key] = value
    return given


def _merge(
    base: dict[str, dict[str, Any]], over: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    out = {name: dict(section) for name, section in base.items()}
    for name, section in over.items():
        target = out.setdefault(name, {})
        for key, value in section.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key] = {**target[key], **value}
            else:
                target[key] = value
    return out


def fit_config(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """The effective config of ``infoscore fit``: the file, then the flags.

    Every section and key is checked: unknown ones, and the keys the command
    sets itself, raise a ``ValueError`` naming the key and its section; the
    estimator keys are those of the estimator's ``get_params()`` (looked up
    at run time, so new parameters need no change here).
    """
    from ._kit.cli import check_section, read_config

    config: dict[str, dict[str, Any]] = {"data": {}, "binner": {}, "model": {}}
    if args.config is not None:
        doc = read_config(args.config)
        unknown = [k for k in doc if k not in CONFIG_SECTIONS]
        if unknown:
            raise ValueError(
                f"unknown section [{unknown[0]}] in --config file {args.config!r}; "
                f"allowed sections: {', '.join(CONFIG_SECTIONS[:3])}."
            )
        doc.pop("infoscore", None)  # written by us: the version that ran
        folder = Path(args.config).parent
        for key in ("train", "test"):  # relative to the config file
            value = doc.get("data", {}).get(key)
            if isinstance(value, str) and not Path(value).is_absolute():
                doc["data"][key] = str(folder / value)
        config = _merge(config, doc)
    config = _merge(config, _flag_settings(args))
    check_section("data", config["data"], DATA_KEYS)
    kind = config["model"].pop("kind", "woe")
    if kind not in KINDS:
        raise ValueError(
            f"[model] kind must be 'woe', 'onehot' or 'boosted'; got {kind!r}."
        )
    estimator, binner = _estimator_classes(kind)
    for name, cls in (("binner", binner), ("model", estimator)):
        section = config[name]
        if cls is None:
            if section:
                raise ValueError(
                    f"section [binner] is set ({sorted(section)}) but kind "
                    f"'{kind}' has no binner: BoostedScorecard bins by its stumps."
                )
            continue
        for key, why in RESERVED[name].items():
            if key in section:
                raise ValueError(
                    f"key {key!r} of section [{name}] is not set here: {why}."
                )
        allowed = set(cls().get_params(deep=False)) - set(RESERVED[name])
        check_section(name, section, allowed | ({"kind"} if name == "model" else set()))
    _check_selection(config["model"])
    config["model"] = {"kind": kind, **config["model"]}
    return config


def _estimator_classes(kind: str) -> tuple[type, type | None]:
    from ._binning._binner import StumpBinner
    from ._models._boosted import BoostedScorecard
    from ._models._scorecard import Scorecard

    if kind == "boosted":
        return BoostedScorecard, None
    return Scorecard, StumpBinner


def _check_selection(model: dict[str, Any]) -> None:
    """Keys of an inline [model] selection table, if the package has a selector."""
    import scorecard

    from ._kit.cli import check_section

    selection = model.get("selection")
    selector = getattr(scorecard, "FeatureSelector", None)
    if isinstance(selection, dict) and selector is not None:
        check_section("model.selection", selection, set(selector().get_params()))


def _estimator(config: dict[str, dict[str, Any]]) -> Any:
    """The unfitted estimator of the config, its parameters checked now."""
    from ._kit.compat import InvalidParameterError

    model = dict(config["model"])
    kind = model.pop("kind")
    estimator_cls, binner_cls = _estimator_classes(kind)
    try:
        if binner_cls is None:
            return _checked(estimator_cls(**model))
        binner = _checked(binner_cls(**config["binner"]))
        return _checked(estimator_cls(binner=binner, encoding=kind, **model))
    except InvalidParameterError as exc:
        section = "binner" if "StumpBinner" in str(exc) else "model"
        raise ValueError(f"[{section}] {exc}") from None


def _checked(estimator: Any) -> Any:
    estimator._validate_params()  # our estimators: the sklearn constraint check
    return estimator


def _special_values(
    config: dict[str, dict[str, Any]], specials: list[str], X: Any
) -> None:
    """``--special COL=V1,V2`` into [binner] special_values, typed by the column."""
    import pandas as pd

    if not specials:
        return
    if config["model"]["kind"] == "boosted":
        raise ValueError(
            "--special needs kind 'woe' or 'onehot': BoostedScorecard gives special "
            "values no bins of their own."
        )
    table = dict(config["binner"].get("special_values") or {})
    for text in specials:
        column, sep, values = text.partition("=")
        if not sep or not values:
            raise ValueError(f"--special takes COL=V1,V2; got {text!r}.")
        if column not in X.columns:
            raise ValueError(
                f"--special names column {column!r}, which is not a feature."
            )
        items: list[Any] = values.split(",")
        if pd.api.types.is_numeric_dtype(X[column].dtype):
            try:
                items = [float(v) for v in items]
            except ValueError:
                raise ValueError(
                    f"--special {text!r}: column {column!r} is numeric; got a "
                    "non-numeric value."
                ) from None
            items = [int(v) if v.is_integer() else v for v in items]
        table[column] = items
    config["binner"]["special_values"] = table


def _categorical(config: dict[str, dict[str, Any]], X: Any) -> None:
    """[data] categorical (plus the text columns) into the binner's list."""
    from ._binning._columns import categorical_mask

    named = list(config["data"].get("categorical") or [])
    if not named:
        return
    if config["model"]["kind"] == "boosted":
        raise ValueError(
            "--categorical needs kind 'woe' or 'onehot': BoostedScorecard takes "
            "text columns as categorical and codes numbers as numbers."
        )
    unknown = [c for c in named if c not in X.columns]
    if unknown:
        raise ValueError(f"--categorical names columns not in the features: {unknown}.")
    names = [str(c) for c in X.columns]
    text = categorical_mask("auto", [X[c] for c in X.columns], names)
    chosen = [n for n, t in zip(names, text, strict=True) if t or n in named]
    config["binner"]["categorical_features"] = chosen


def _read_split(path: str, option: str, target: str, bad_value: Any) -> tuple:
    from ._kit.cli import target_column
    from ._kit.io import read_table

    data = read_table(path)
    if option != "data" and target not in data.columns:
        raise ValueError(f"{option} file {path!r} has no target column {target!r}.")
    return data, target_column(data, target, bad_value)


def _config_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.config.json")


def _jsonable(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(
        f"config value {value!r} ({type(value).__name__}) cannot be written as JSON."
    )


def _effective(config: dict[str, dict[str, Any]], estimator: Any) -> str:
    """The config that reproduces the run: every estimator parameter pinned."""
    from ._kit.version import __version__

    params = estimator.get_params(deep=False)
    model = {"kind": config["model"]["kind"]}
    model.update({k: v for k, v in params.items() if k not in RESERVED["model"]})
    binner = {}
    if params.get("binner") is not None:
        binner = {
            k: v
            for k, v in params["binner"].get_params(deep=False).items()
            if k not in RESERVED["binner"]
        }
    data = dict(config["data"])
    for key in ("train", "test"):
        if data.get(key) is not None:
            data[key] = str(Path(data[key]).resolve())
    doc = {
        "infoscore": {"version": __version__},
        "data": data,
        "binner": binner,
        "model": model,
    }
    return json.dumps(doc, indent=2, default=_jsonable) + "\n"


def _run_fit(args: argparse.Namespace) -> int:
    from ._kit.io import check_outputs, check_suffix, stage_file

    config = fit_config(args)
    data_cfg = config["data"]
    for key, flag in (("train", "data"), ("target", "--target")):
        if data_cfg.get(key) is None:
            raise ValueError(f"{flag} is required (or [data] {key} in --config).")
    out = check_suffix(args.out, "--out", (".json",))
    if args.report is not None:
        check_suffix(args.report, "--report", (".html", ".htm"))
    outputs = check_outputs(
        {
            "--out": out,
            "--report": args.report,
            "the config next to --out": _config_path(out),
        },
        {
            "data": data_cfg["train"],
            "--test": data_cfg.get("test"),
            "--config": args.config,
        },
    )
    estimator = _estimator(config)  # parameters checked before reading
    data, y = _read_split(
        data_cfg["train"], "data", data_cfg["target"], data_cfg.get("bad_value")
    )
    exclude = list(data_cfg.get("exclude") or [])
    unknown = [c for c in exclude if c not in data.columns]
    if unknown:
        raise ValueError(f"--exclude names columns not in the data: {unknown}.")
    X = data.drop(columns=[data_cfg["target"], *exclude])
    if X.shape[1] == 0:
        raise ValueError("No feature columns left after --target and --exclude.")
    evaluation = {"train": (X, y)}
    if data_cfg.get("test") is not None:
        test, y_test = _read_split(
            data_cfg["test"], "--test", data_cfg["target"], data_cfg.get("bad_value")
        )
        missing = [c for c in X.columns if c not in test.columns]
        if missing:
            raise ValueError(
                f"--test file {data_cfg['test']!r} is missing feature column(s) "
                f"{missing[:10]}."
            )
        evaluation["test"] = (test[list(X.columns)], y_test)
    _categorical(config, X)
    _special_values(config, args.special or [], X)
    estimator = _estimator(config)
    card = estimator.fit(X, y)
    # Every output is made before any is renamed into place: a report that
    # fails leaves no artifact behind (and no old one replaced).
    staged = [(stage_file(outputs["--out"], card.to_json()), outputs["--out"])]
    config_out = outputs["the config next to --out"]
    try:
        staged.append((stage_file(config_out, _effective(config, card)), config_out))
        if args.report:
            html = card.to_html(data=evaluation, subtitle=str(data_cfg["train"]))
            staged.append((stage_file(outputs["--report"], html), outputs["--report"]))
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    _print_fit(card, config["model"]["kind"], evaluation)
    print(f"written: {args.out}")
    print(f"written: {config_out} (the effective config; rerun with --config)")
    if args.report:
        print(f"written: {args.report}")
    return 0


def _print_fit(card: Any, kind: str, evaluation: dict[str, tuple]) -> None:
    from ._stats._auc import delong_auc, ks_statistic

    X, _ = evaluation["train"]
    print(
        f"fitted {type(card).__name__} ({kind}) on {len(X)} rows, {X.shape[1]} features"
    )
    for label, (data, y) in evaluation.items():
        score = card.predict_score(data)
        auc = delong_auc(y, score, higher="good")
        print(
            f"{label}: AUC {auc.estimate:.4f} (SE {auc.se:.4f}), KS "
            f"{ks_statistic(y, score):.4f}, {len(y)} rows"
        )


def register_score(subparsers: Any) -> None:
    """Add ``infoscore score``."""
    parser = subparsers.add_parser("score", help="score data with a JSON artifact")
    parser.add_argument("card", help="scorecard artifact (.json)")
    parser.add_argument("data", help="data to score (.csv, .parquet)")
    parser.add_argument("--out", required=True, help="output (.csv or .parquet)")
    parser.add_argument(
        "--reasons", type=int, default=0, help="add N adverse-action reason codes"
    )
    parser.add_argument(
        "--keep", nargs="*", default=[], help="input columns copied to the output"
    )
    parser.set_defaults(func=_run_score)


def _run_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from ._kit.artifacts import load
    from ._kit.io import (
        check_outputs,
        read_table,
        table_columns,
        table_format,
        write_table,
    )

    table_format(args.out)
    check_outputs({"--out": args.out}, {"card": args.card, "data": args.data})
    card = load(args.card)
    if not hasattr(card, "predict_score"):
        raise ValueError(
            f"Artifact {args.card!r} is a {type(card).__name__}, not a scorecard."
        )
    # features left out of the model (binning, selection, sign) are not needed
    features = [str(f) for f in card.model_features_]
    if not 0 <= args.reasons <= len(features):
        raise ValueError(
            f"--reasons must be between 0 and the number of model features "
            f"({len(features)}); got {args.reasons}."
        )
    header = table_columns(args.data)
    missing = [f for f in features + list(args.keep) if f not in header]
    if missing:
        raise ValueError(
            f"Data is missing model feature(s) or --keep column(s) {missing}."
        )
    clash = [c for c in args.keep if c in ("score", "probability_bad")]
    if clash:
        raise ValueError(f"--keep may not name the output column(s) {clash}.")
    extra = [c for c in header if c not in features and c not in args.keep]
    if extra:
        print(
            f"ignoring {len(extra)} column(s) the model does not use: {extra[:10]}",
            file=sys.stderr,
        )
    data = read_table(args.data, columns=list(dict.fromkeys(features + args.keep)))
    out = data[list(args.keep)].copy()
    out["score"] = card.predict_score(data[features])
    out["probability_bad"] = card.predict_proba(data[features])[:, 1]
    if args.reasons:
        out = pd.concat(
            [out, card.reason_codes(data[features], n=args.reasons)], axis=1
        )
    write_table(out, args.out)  # atomic; CSV cells neutralised
    print(f"scored {len(out)} rows; written: {args.out}")
    return 0
