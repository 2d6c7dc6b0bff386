"""Drift monitoring of deployed scorecards: PSI with SEs, history store, reports."""

from ._drift import (
    AUCDrift,
    AUCResult,
    BadRateDrift,
    CharacteristicShift,
    DriftReport,
    FeatureDrift,
    IVDrift,
    auc_drift,
    auc_from_counts,
    bad_rate_by_band,
    characteristic_analysis,
    delong_auc,
    drift_from_counts,
    drift_status,
    iv_drift,
)
from ._monitor import DriftMonitor
from ._store import HistoryStore, StoreBusyError, StoreError, WindowCounts

__all__ = [
    "AUCDrift",
    "AUCResult",
    "BadRateDrift",
    "CharacteristicShift",
    "DriftMonitor",
    "DriftReport",
    "FeatureDrift",
    "HistoryStore",
    "IVDrift",
    "StoreBusyError",
    "StoreError",
    "WindowCounts",
    "auc_drift",
    "auc_from_counts",
    "bad_rate_by_band",
    "characteristic_analysis",
    "delong_auc",
    "drift_from_counts",
    "drift_status",
    "iv_drift",
]
