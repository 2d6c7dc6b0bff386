"""``infoscore fairness`` and ``infoscore frontier``, and the fairness demo step.

``infoscore fairness card.json DATA --target COL --protected COL ... --out
report.html`` scores labelled data with a scorecard artifact and writes the
fairness report: groups, AIR with CIs, demographic IV, dCor, and the proxy
table of the model's features over the model's own bins.

``infoscore frontier DATA --target COL --protected COL ... --out
frontier.html`` fits the MIP accuracy-fairness frontier on a stratified
train/held-out split and writes the report of the chosen operating point
with the frontier.

Bad input raises ``ValueError``/``TypeError``/``OSError``; ``infoscore``
turns it into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from scorecard._kit.artifacts import load
from scorecard._kit.cli import target_column
from scorecard._kit.exceptions import DataConditionWarning
from scorecard._kit.io import check_outputs, check_suffix, read_table, write_atomic

from ._frontier import ParetoFrontier, choose_operating_point
from ._groups import assess, proxy_table
from ._report import FairnessReport

__all__ = [
    "register_fairness",
    "register_frontier",
    "demo_step",
    "choose_operating_point",
    "fit_frontier",
    "frontier_report",
]


# --------------------------------------------------------------------------
# shared checks


def _check_protected(
    data: pd.DataFrame, columns: list[str], option: str = "--protected"
) -> pd.DataFrame:
    """The protected columns of ``data``, each with two or more known values."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"{option} column(s) {missing} not in the data; columns are "
            f"{[str(c) for c in data.columns][:20]}."
        )
    if len(set(columns)) != len(columns):
        raise ValueError(f"{option} names a column twice: {columns}.")
    for col in columns:
        holes = int(data[col].isna().sum())
        if holes:
            raise ValueError(
                f"{option} column {col!r} has {holes} missing values; give them an "
                "explicit category or drop those rows."
            )
        values = data[col].unique()
        if values.size < 2:
            raise ValueError(
                f"{option} column {col!r} has a single value ({values[0]!r}); a "
                "protected attribute needs at least two groups."
            )
    return data[columns].reset_index(drop=True)


def _approval(args: argparse.Namespace) -> dict[str, float | None]:
    if args.cutoff is not None and args.approval_rate is not None:
        raise ValueError("Give --cutoff or --approval-rate, not both.")
    if args.approval_rate is not None and not 0 < args.approval_rate < 1:
        raise ValueError(
            f"--approval-rate must be in (0, 1); got {args.approval_rate}."
        )
    return {"cutoff": args.cutoff, "approval_rate": args.approval_rate}


def _output(args: argparse.Namespace) -> Path:
    """``--out`` (.html) and ``--json``, checked against the inputs and each other."""
    if Path(args.out).suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"--out must be an .html file; got {args.out!r}.")
    if getattr(args, "json", None) is not None:
        check_suffix(args.json, "--json", (".json",))
    outputs = check_outputs(
        {"--out": args.out, "--json": getattr(args, "json", None)},
        {"card": getattr(args, "card", None), "data": args.data},
    )
    return outputs["--out"]


class _ModelBins:
    """A fitted additive scorecard's bins seen as a binner (for proxy_table)."""

    #: What the proxy table's ``method`` says the bins are.
    description = "the scorecard's own bins"

    def __init__(self, card: Any) -> None:
        self.bins_ = dict(card.bins_)
        self._card = card

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        return self._card.transform_bins(X[list(self.bins_)]).to_numpy()


def _print_assessment(res: Any) -> None:
    cols = ["n", "approval_rate", "air", "air_ci_low", "air_ci_high", "air_pvalue"]
    air = res.groups[cols + ["small_group"]]
    with pd.option_context("display.float_format", "{:.4f}".format):
        print(air.to_string())
    flagged = res.four_fifths_violations
    print(
        f"reference group {res.reference_group} ({res.reference_rule}); cutoff "
        f"{res.cutoff:.6g}, approval rate {res.approval_rate:.4f}; four-fifths rule "
        f"(AIR < 0.8, groups of {res.min_group_size}+ rows): "
        + (f"flagged {flagged}" if flagged else "met")
    )


def _add_labelled_data(parser: Any, *, protected_help: str) -> None:
    """The arguments both commands share: data, target, protected columns, output."""
    parser.add_argument("data", help="labelled data (.csv, .parquet)")
    parser.add_argument("--target", required=True, help="target column")
    parser.add_argument(
        "--bad-value", help="value of the target meaning bad (default: target is 0/1)"
    )
    parser.add_argument(
        "--protected",
        nargs="+",
        required=True,
        help=protected_help,
    )
    parser.add_argument("--out", required=True, help="HTML report path")


# --------------------------------------------------------------------------
# infoscore fairness


def register_fairness(subparsers: Any) -> None:
    """Add ``infoscore fairness``."""
    parser = subparsers.add_parser(
        "fairness",
        help="fairness report of a scorecard artifact on labelled data",
        description=(
            "Score DATA with a scorecard artifact (higher = better), assess "
            "the protected groups (AIR with CIs, SMD, group AUCs, demographic "
            "IV, JS, dCor) and the model's features as proxies, and write one "
            "self-contained HTML report. Exit code 2 on bad input."
        ),
    )
    parser.add_argument("card", help="scorecard artifact (.json)")
    _add_labelled_data(
        parser,
        protected_help="protected column(s); several define intersectional groups",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--approval-rate", type=float, help="approve this share (default 0.5)"
    )
    group.add_argument("--cutoff", type=float, help="approve score >= cutoff")
    parser.add_argument(
        "--reference-group",
        help="group label the AIR and the four-fifths flag are against, e.g. "
        "'Race=1' (default: chosen by --reference-rule)",
    )
    parser.add_argument(
        "--reference-rule",
        choices=["largest", "most_favoured"],
        default="largest",
        help="reference when --reference-group is not given (default: largest)",
    )
    parser.add_argument(
        "--min-group-size",
        type=int,
        default=30,
        help="groups with fewer rows are reported but not flagged (default 30)",
    )
    parser.add_argument(
        "--pool-small-groups",
        action="store_true",
        help="pool groups under --min-group-size rows into one group 'other'",
    )
    parser.add_argument(
        "--max-groups",
        type=int,
        default=20,
        help="intersection cap: beyond it the smallest groups are pooled "
        "into 'other' (default 20)",
    )
    parser.add_argument(
        "--weight", help="sample-weight column (AIR, AUC and rates are weighted)"
    )
    parser.add_argument(
        "--weight-kind",
        choices=["frequency", "sampling"],
        help="what --weight is: replication counts or sampling weights "
        "(default: sampling, with a warning unless they sum to the row count)",
    )
    parser.add_argument("--json", help="also write the report's numbers as JSON")
    parser.set_defaults(func=_run_fairness)


def _weight_column(data: pd.DataFrame, args: argparse.Namespace) -> Any:
    """The ``--weight`` column as floats (None without one)."""
    if args.weight is None:
        if args.weight_kind is not None:
            raise ValueError("--weight-kind needs --weight (the weight column).")
        return None
    if args.weight not in data.columns:
        raise ValueError(
            f"--weight column {args.weight!r} not in the data; columns are "
            f"{[str(c) for c in data.columns][:20]}."
        )
    if args.weight in args.protected or args.weight == args.target:
        raise ValueError(
            f"--weight {args.weight!r} is also the target or a --protected column."
        )
    return pd.to_numeric(data[args.weight], errors="raise").to_numpy(dtype=float)


def _run_fairness(args: argparse.Namespace) -> int:
    out = _output(args)
    approval: dict[str, Any] = _approval(args)
    card = load(args.card)
    if not hasattr(card, "predict_score") or not hasattr(card, "bins_"):
        raise ValueError(
            f"Artifact {args.card!r} is a {type(card).__name__}, not a scorecard."
        )
    data = read_table(args.data).reset_index(drop=True)
    features = [str(f) for f in card.feature_names_in_]
    missing = [f for f in features if f not in data.columns]
    if missing:
        raise ValueError(f"Data is missing model feature(s) {missing}.")
    protected = _check_protected(data, list(args.protected))
    if args.target in args.protected:
        raise ValueError(f"--target {args.target!r} is also a --protected column.")
    used = [c for c in args.protected if c in features]
    if used:
        print(f"note: protected column(s) {used} are model features")
    y = target_column(data, args.target, args.bad_value)
    X = data[features]
    score = card.predict_score(X)
    weight = _weight_column(data, args)
    res = assess(
        y,
        score,
        sensitive_features=protected,
        reference_group=args.reference_group,
        reference_rule=args.reference_rule,
        min_group_size=args.min_group_size,
        pool_small_groups=args.pool_small_groups,
        max_groups=args.max_groups,
        sample_weight=weight,
        weight_kind=args.weight_kind,
        **approval,
    )
    proxies = proxy_table(
        X,
        protected,
        y=y,
        binner=_ModelBins(card),
        reference_group=res.reference_group,
        min_group_size=args.min_group_size,
        pool_small_groups=args.pool_small_groups,
        max_groups=args.max_groups,
    )
    report = FairnessReport(
        res,
        proxy=proxies,
        title="Fairness report",
        subtitle=f"{type(card).__name__} {args.card} on {args.data}",
    )
    write_atomic(out, report.to_html())
    print(
        f"assessed {len(data)} rows, protected {' x '.join(args.protected)} "
        f"({len(res.groups)} groups)"
    )
    _print_assessment(res)
    print(f"written: {out}")
    if args.json:
        write_atomic(args.json, report.to_json())
        print(f"written: {args.json}")
    return 0


# --------------------------------------------------------------------------
# infoscore frontier


def register_frontier(subparsers: Any) -> None:
    """Add ``infoscore frontier``."""
    parser = subparsers.add_parser(
        "frontier",
        help="accuracy-fairness frontier of WoE scorecards (MIP) and its report",
        description=(
            "Fit the accuracy-fairness frontier on a stratified split of DATA "
            "(the --protected columns, any kind, define the groups: several "
            "columns give their intersections, pooled under --min-group-size "
            "rows and beyond --max-groups; every protected column is kept out "
            "of the features), choose the operating point and write the HTML "
            "report. Features with a single bin are skipped with a note before "
            "the optimisation. Exit code 2 on bad input."
        ),
    )
    _add_labelled_data(
        parser,
        protected_help=(
            "protected column(s): binary, multi-level or continuous; several "
            "give intersectional groups"
        ),
    )
    parser.add_argument(
        "--eps", type=float, nargs="+", help="budgets (default: --n-eps adaptive ones)"
    )
    parser.add_argument(
        "--n-eps", type=int, default=15, help="number of adaptive budgets (15)"
    )
    parser.add_argument(
        "--exclude", nargs="*", default=[], help="columns that are not features"
    )
    parser.add_argument("--max-features", type=int, help="most features in a scorecard")
    parser.add_argument(
        "--min-group-size",
        type=int,
        default=30,
        help="groups with fewer training rows are pooled into 'other' (30)",
    )
    parser.add_argument(
        "--max-groups", type=int, default=8, help="most protected groups (8)"
    )
    parser.add_argument(
        "--approval-rate", type=float, default=0.5, help="approval rate (0.5)"
    )
    parser.add_argument(
        "--min-air",
        type=float,
        default=0.8,
        help="operating point: best AUC with AIR in [min, 1/min] (0.8)",
    )
    parser.add_argument(
        "--test-size", type=float, default=0.3, help="held-out share (0.3)"
    )
    parser.add_argument("--seed", type=int, default=0, help="split seed (0)")
    parser.add_argument("--json", help="also write the report's numbers as JSON")
    parser.set_defaults(func=_run_frontier)


def frontier_report(
    X: pd.DataFrame,
    y: np.ndarray,
    protected: pd.DataFrame,
    *,
    test_size: float = 0.3,
    seed: int = 0,
    **kwargs: Any,
) -> tuple[Any, Any, float]:
    """Split the data (stratified by target and group), then :func:`fit_frontier`."""
    if not 0 < test_size < 1:
        raise ValueError(f"--test-size must be in (0, 1); got {test_size}.")
    strata = pd.Series(y).astype(str)
    if protected.shape[1] == 1 and protected.iloc[:, 0].nunique() <= 10:
        strata = strata + "|" + protected.iloc[:, 0].astype(str).to_numpy()
    if strata.value_counts().min() < 2:
        strata = pd.Series(y).astype(str)
    Xt, Xv, yt, yv, st, sv = train_test_split(
        X, y, protected, test_size=test_size, stratify=strata, random_state=seed
    )
    return fit_frontier((Xt, yt, st), (Xv, yv, sv), seed=seed, **kwargs)


def fit_frontier(
    train: tuple[pd.DataFrame, np.ndarray, pd.DataFrame],
    valid: tuple[pd.DataFrame, np.ndarray, pd.DataFrame],
    *,
    eps: Any = 15,
    max_features: int | None = None,
    approval_rate: float = 0.5,
    min_air: float = 0.8,
    seed: int = 0,
    min_group_size: int = 30,
    max_groups: int = 8,
    title: str = "Accuracy-fairness frontier",
    subtitle: str | None = None,
) -> tuple[Any, Any, float]:
    """Fit the frontier, assess its operating point on the held-out rows.

    ``train`` and ``valid`` are ``(X, y, protected)``. All protected columns
    define the frontier's groups (intersections, pooled by
    ``min_group_size`` and ``max_groups``); the assessment of the chosen
    operating point (:func:`choose_operating_point`) uses the same groups.
    Features the frontier skipped (a single bin) are left out of the proxy
    table too. Returns the :class:`FairnessReport`, the fitted frontier and
    the eps.
    """
    if not 0 < approval_rate < 1:
        raise ValueError(f"--approval-rate must be in (0, 1); got {approval_rate}.")
    Xt, yt, st = train
    Xv, yv, sv = valid
    front = ParetoFrontier(
        eps=eps,
        max_features=max_features,
        approval_rate=approval_rate,
        min_group_size=min_group_size,
        max_groups=max_groups,
        random_state=seed,
    )
    front.fit(
        Xt,
        yt,
        sensitive_features=st.reset_index(drop=True),
        X_valid=Xv,
        y_valid=yv,
        sensitive_features_valid=sv.reset_index(drop=True),
    )
    point = choose_operating_point(front.frontier_, min_air)
    res = front.assess_point(point)
    kept = [c for c in Xv.columns if str(c) not in front.skipped_features_]
    groups = front.held_out_groups()
    try:
        proxies = proxy_table(Xv[kept].reset_index(drop=True), groups, y=yv)
    except ValueError as exc:  # a feature degenerate on the held-out rows only
        warnings.warn(
            f"Proxy table left out: {exc}", DataConditionWarning, stacklevel=2
        )
        proxies = None
    report = FairnessReport(
        res,
        proxy=proxies,
        frontier=front,
        operating_point=point,
        title=title,
        subtitle=subtitle,
    )
    return report, front, point


def _run_frontier(args: argparse.Namespace) -> int:
    out = _output(args)
    data = read_table(args.data).reset_index(drop=True)
    unknown = [c for c in args.exclude if c not in data.columns]
    if unknown:
        raise ValueError(f"--exclude names columns not in the data: {unknown}.")
    protected = _check_protected(data, list(args.protected))
    if args.target in args.protected:
        raise ValueError(f"--target {args.target!r} is also a --protected column.")
    y = target_column(data, args.target, args.bad_value)
    X = data.drop(columns=[args.target, *args.protected, *args.exclude])
    if X.shape[1] == 0:
        raise ValueError(
            "No feature columns left after --target, --protected and --exclude."
        )
    if args.n_eps < 1:
        raise ValueError(f"--n-eps must be >= 1; got {args.n_eps}.")
    eps: Any = args.n_eps if args.eps is None else list(args.eps)
    report, front, point = frontier_report(
        X,
        y,
        protected,
        eps=eps,
        max_features=args.max_features,
        min_group_size=args.min_group_size,
        max_groups=args.max_groups,
        approval_rate=args.approval_rate,
        min_air=args.min_air,
        test_size=args.test_size,
        seed=args.seed,
        subtitle=f"{args.data}; protected {' x '.join(args.protected)}",
    )
    write_atomic(out, report.to_html())
    for name, why in front.skipped_features_.items():
        print(f"note: feature {name!r} skipped before the optimisation: {why}")
    if front.pooled_groups_:
        print(f"note: groups pooled into 'other': {front.pooled_groups_[:10]}")
    cols = ["eps", "status", "n_features", "auc", "demographic_iv", "air"]
    table = front.frontier_.loc[~front.frontier_["dominated"], cols]
    hidden = int(front.frontier_["dominated"].sum())
    with pd.option_context("display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))
    if hidden:
        print(f"({hidden} point(s) dominated on the held-out rows not shown)")
    row = front.frontier_[np.isclose(front.frontier_["eps"], point)].iloc[0]
    print(
        f"operating point eps={point:.6g}: held-out AUC {row['auc']:.4f} "
        f"[{row['auc_ci_low']:.4f}, {row['auc_ci_high']:.4f}], AIR {row['air']:.4f} "
        f"[{row['air_low']:.4f}, {row['air_high']:.4f}]; cutoff "
        f"{row['cutoff_points']:.0f} points; features {row['features']}"
    )
    print(f"written: {out}")
    if args.json:
        write_atomic(args.json, report.to_json())
        print(f"written: {args.json}")
    return 0


# --------------------------------------------------------------------------
# demo


def demo_step(context: Any) -> None:
    """Fairness report of the demo scorecard and the frontier on SimuCredit."""
    card = context.results.get("scorecard")
    split = context.results.get("split")
    if card is None or split is None:
        context.say("\nFairness: skipped (the scorecard step did not run).")
        return
    X_te, y_te = split["X_test"], np.asarray(split["y_test"])
    s_te = split["s_test"].reset_index(drop=True)
    score = card.predict_score(X_te)
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataConditionWarning)
        race = assess(y_te, score, sensitive_features=s_te[["Race"]])
        both = assess(y_te, score, sensitive_features=s_te[["Race", "Gender"]])
        proxies = proxy_table(
            X_te.reset_index(drop=True), s_te[["Race"]], y=y_te, binner=_ModelBins(card)
        )
        frontier, front, point = fit_frontier(
            (
                split["X_train"],
                np.asarray(split["y_train"]),
                split["s_train"][["Race"]],
            ),
            (X_te, y_te, s_te[["Race"]]),
            eps=15,
            subtitle="SimuCredit, Race protected; fitted on the demo scorecard's "
            "training split, evaluated on its test split",
        )
    notes = sorted({str(w.message) for w in caught})
    path = context.out_dir / "fairness_report.html"
    FairnessReport(
        race,
        proxy=proxies,
        frontier=front,
        operating_point=point,
        title="Fairness report: SimuCredit scorecard",
        subtitle="test split of the demo scorecard; Race protected; frontier "
        "fitted on the same training split",
    ).to_html(path)
    frontier_path = context.out_dir / "fairness_frontier.html"
    frontier.to_html(frontier_path)
    context.say("\nFairness of the scorecard on the test split (approve the top 50%):")
    with pd.option_context("display.float_format", "{:.4f}".format):
        cols = ["n", "approval_rate", "auc", "air", "air_ci_low", "air_ci_high"]
        context.say(race.groups[cols].to_string())
        context.say("\nRace x Gender (intersectional), against the largest group:")
        context.say(both.groups[cols].to_string())
    div = race.metric("demographic IV")
    low, high = div.ci()
    context.say(
        f"\ndemographic IV of the score deciles {div.estimate:.4f} (95% CI "
        f"[{low:.4f}, {high:.4f}]); top proxy: "
        f"{proxies.to_frame().iloc[0]['feature']}"
    )
    row = front.frontier_[np.isclose(front.frontier_["eps"], point)].iloc[0]
    context.say(
        f"frontier ({len(front.frontier_)} eps): operating point AUC "
        f"{row['auc']:.4f}, AIR {row['air']:.4f} [{row['air_low']:.4f}, "
        f"{row['air_high']:.4f}] with {int(row['n_features'])} features"
    )
    if notes:
        context.say(f"notes: {len(notes)} data condition(s), e.g. {notes[0]}")
    context.say(f"written: {path}\nwritten: {frontier_path}")
