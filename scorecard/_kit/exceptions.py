"""Warning classes of the package."""

from __future__ import annotations

__all__ = ["InfoscoreWarning", "DataConditionWarning"]


class InfoscoreWarning(UserWarning):
    """Base class of every warning emitted by infoscore."""


class DataConditionWarning(InfoscoreWarning):
    """A condition of the data that changes a result.

    Examples are an empty bin smoothed with Haldane-Anscombe counts, a constant
    feature, an unseen category at transform time, or a solver time limit.
    """
