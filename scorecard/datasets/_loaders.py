"""Loaders of the bundled data sets; nothing is downloaded."""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["load_simucredit", "load_german_credit"]


def _read(name: str) -> pd.DataFrame:
    with resources.files(__package__).joinpath("data", name).open("rb") as fh:
        return pd.read_csv(fh)


def load_simucredit() -> pd.DataFrame:
    """Load SimuCredit v2: 20,000 synthetic credit applicants.

    Source: the PiML toolbox (SelfExplainML/PiML-Toolbox,
    ``datasets/SimuCredit_v2.csv``), Apache License 2.0.

    Returns
    -------
    pandas.DataFrame
        20,000 rows and the columns

        - ``Mortgage``, ``Balance``, ``Amount Past Due`` (float, currency),
        - ``Delinquency``, ``Inquiry``, ``Open Trade`` (int counts),
        - ``Utilization`` (float in [0, 1]),
        - ``Gender`` (0/1) and ``Race`` (0 is the 30% minority): protected
          attributes, never model inputs,
        - ``Status``: 1 = approved/good, 0 = bad (about 45% bad). infoscore's
          convention is ``y = 1`` for the event (bad), so use
          ``y = 1 - Status``.

    Examples
    --------
    >>> df = load_simucredit()
    >>> df.shape
    (20000, 10)
    >>> round(float((df["Status"] == 0).mean()), 3)
    0.448
    """
    return _read("simucredit_v2.csv")


def load_german_credit() -> pd.DataFrame:
    """Load the UCI Statlog German credit data (1,000 applicants, decoded labels).

    Source: UCI Machine Learning Repository, Hofmann (1994), CC BY 4.0.

    Returns
    -------
    pandas.DataFrame
        1,000 rows: 13 categorical columns (strings, e.g.
        ``status_of_existing_checking_account``, ``credit_history``,
        ``purpose``, ``personal_status_and_sex`` which carries sex,
        ``foreign_worker``), 7 integer columns (e.g. ``duration_in_month``,
        ``credit_amount``, ``age_in_years``) and the target ``creditability``
        (``"good"``/``"bad"``, 30% bad).

    Examples
    --------
    >>> df = load_german_credit()
    >>> df.shape
    (1000, 21)
    >>> int((df["creditability"] == "bad").sum())
    300
    """
    return _read("germancredit.csv")
