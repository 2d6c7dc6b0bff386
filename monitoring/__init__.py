"""Drift monitoring of deployed scorecards: PSI with SEs, history store, reports."""

__all__: list[str] = []
