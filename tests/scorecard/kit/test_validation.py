"""The one input-check layer: binary targets and the reading of weights."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from scorecard import DataConditionWarning
from scorecard._kit.validation import check_binary_target, check_weight_kind


def test_empty_target_is_a_named_value_error():
    with pytest.raises(ValueError, match="y is empty"):
        check_binary_target([])


def test_labels_need_bad_value():
    with pytest.raises(ValueError, match="set bad_value"):
        check_binary_target(["good", "bad"])
    assert check_binary_target(["good", "bad"], bad_value="bad").y01.tolist() == [0, 1]


def test_no_weights_read_alike_by_both_kinds():
    assert check_weight_kind(None, None) == "frequency"
    assert check_weight_kind("sampling", None) == "frequency"


def test_unsaid_kind_is_sampling_and_warns_only_off_the_row_count():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_weight_kind(None, np.array([0.5, 1.5, 1.0])) == "sampling"
    with pytest.warns(DataConditionWarning, match="sums to 30 for 3 rows"):
        assert check_weight_kind(None, np.array([10.0, 10.0, 10.0])) == "sampling"


def test_frequency_weights_must_be_whole_numbers():
    assert check_weight_kind("frequency", np.array([1.0, 3.0])) == "frequency"
    with pytest.raises(ValueError, match="whole-number sample weights"):
        check_weight_kind("frequency", np.array([1.5, 3.0]))


def test_unknown_kind_names_the_parameter():
    with pytest.raises(ValueError, match="weight_kind must be 'frequency', 'sampling'"):
        check_weight_kind("survey", np.ones(2))
