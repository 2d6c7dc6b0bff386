"""delong_auc / ks_statistic vocabulary: y_score, with the old score= keyword."""

import numpy as np
import pytest

from scorecard import delong_auc, ks_statistic

Y = np.array([0, 0, 1, 1, 0, 1])
S = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
RENAMED = r"'score' was renamed to 'y_score' in 0\.2 and will be removed in 0\.3\."


def test_y_score_positional_and_keyword():
    assert delong_auc(Y, S).estimate == delong_auc(Y, y_score=S).estimate
    assert ks_statistic(Y, S) == ks_statistic(Y, y_score=S)


@pytest.mark.parametrize("func", [delong_auc, ks_statistic])
def test_old_score_keyword_warns_and_is_used(func):
    with pytest.warns(FutureWarning, match=RENAMED):
        old = func(Y, score=S)
    new = func(Y, y_score=S)
    assert (old.estimate if hasattr(old, "estimate") else old) == (
        new.estimate if hasattr(new, "estimate") else new
    )


@pytest.mark.parametrize("func", [delong_auc, ks_statistic])
def test_both_or_neither_score_raise(func):
    with pytest.raises(TypeError, match="y_score is required"):
        func(Y)
    with pytest.warns(FutureWarning, match=RENAMED):
        with pytest.raises(TypeError, match="Pass y_score only"):
            func(Y, S, score=S)
