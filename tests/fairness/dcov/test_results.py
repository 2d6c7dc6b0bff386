import pytest

from fairness import (
    distance_correlation,
)

from ._data import _data


def test_result_object():
    x, y, _ = _data()
    res = distance_correlation(x, y)
    low, high = res.ci(0.1)
    assert low < res.estimate < high
    frame = res.to_frame()
    assert frame.loc["dCor^2", "estimate"] == res.estimate
    assert "dCor^2(estimate=" in repr(res)
    with pytest.raises(AttributeError, match="cannot assign"):
        res.estimate = 1.0
    with pytest.raises(ValueError, match=r"alpha \(one minus the coverage\) must be"):
        res.ci(1.5)
