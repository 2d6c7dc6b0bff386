"""Renamed public parameters: the old keyword works for one release, with a warning."""

from __future__ import annotations

from typing import Any

from scorecard._kit.compat import warn_renamed

__all__ = ["renamed_keyword"]


def renamed_keyword(
    deprecated: dict[str, Any],
    old: str,
    new: str,
    value: Any,
    where: str,
    *,
    required: bool = True,
) -> Any:
    """The value of ``new``, taking the old keyword ``old`` with a FutureWarning.

    ``deprecated`` holds the extra keywords a function received; anything but
    ``old`` in it is an error, as for any unknown keyword.

    Raises
    ------
    TypeError
        For an unknown keyword, both names given, or neither (when
        ``required``).
    """
    extra = sorted(set(deprecated) - {old})
    if extra:
        raise TypeError(f"{where}() got unexpected keyword arguments {extra}.")
    if old in deprecated:
        if value is not None:
            raise TypeError(
                f"{where}() got both '{new}' and its old name '{old}'; give '{new}'."
            )
        warn_renamed(old, new, stacklevel=3)
        return deprecated[old]
    if value is None and required:
        raise TypeError(f"{where}() missing required argument '{new}'.")
    return value
