"""The public statistics check their options with the estimators' machinery.

``scorecard._kit.compat.check_arguments`` uses scikit-learn's constraint
objects and raises ``InvalidParameterError`` (a ``ValueError`` and a
``TypeError``) with one message: the parameter, what is allowed, what was
received.
"""

import pytest

from scorecard import (
    DataConditionWarning,
    auc_from_counts,
    delong_auc,
    information_value,
    jensen_shannon,
    ks_statistic,
    psi,
    woe,
)

G, B = [30, 20, 10], [5, 10, 15]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: information_value(G, B, se_method="bootstrap"),
            r"^se_method must be 'corrected', 'delta' or 'paper'; got 'bootstrap'\.$",
        ),
        (
            lambda: information_value(G, B, test="z"),
            r"^test must be 'chi2' or 'paper_z'; got 'z'\.$",
        ),
        (
            lambda: psi(G, B, reference="population"),
            r"^reference must be 'fixed' or 'sample'; got 'population'\.$",
        ),
        (
            lambda: psi(G, B, smoothing=-0.5),
            r"^smoothing must be a float in the range \[0\.0, inf\); got -0\.5\.$",
        ),
        (
            lambda: jensen_shannon(G, B, smoothing="half"),
            r"^smoothing must be a float in the range \[0\.0, inf\); got 'half'\.$",
        ),
        (
            lambda: woe(G, B, orientation="bad-good"),
            r"^orientation must be 'bad/good' or 'good/bad'; got 'bad-good'\.$",
        ),
        (
            lambda: delong_auc([0, 1, 1], [0.1, 0.4, 0.3], higher="up"),
            r"^higher must be 'bad' or 'good'; got 'up'\.$",
        ),
        (
            lambda: auc_from_counts(G, B, higher=1),
            r"^higher must be 'bad' or 'good'; got 1\.$",
        ),
        (
            lambda: ks_statistic(3, [0.1]),
            r"^y_true must be an array-like; got 3\.$",
        ),
    ],
)
def test_bad_option_names_parameter_function_and_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_valid_options_still_compute():
    assert information_value(G, B, se_method="paper", test="paper_z").estimate > 0
    with pytest.warns(DataConditionWarning, match="reference='fixed' but"):
        assert psi(G, B, reference="fixed", smoothing=0.0).estimate > 0
    assert woe(G, B, orientation="bad/good").estimate.shape == (3,)
