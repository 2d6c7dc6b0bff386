"""Fairness of credit scores: group metrics, distance covariance, fair models."""

__all__: list[str] = []
