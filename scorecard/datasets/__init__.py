"""Real credit data sets bundled with infoscore (see ``data/ATTRIBUTION.md``)."""

from ._loaders import load_german_credit, load_simucredit

__all__ = ["load_simucredit", "load_german_credit"]
