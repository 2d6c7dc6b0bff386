r"""DriftMonitor: drift checks of new batches against a fitted scorecard.

A fitted additive scorecard (:class:`scorecard.Scorecard` or
:class:`scorecard.BoostedScorecard`, in memory or as a JSON artifact) carries
everything a drift check needs: the bins of every feature with their training
(reference) counts per class, the points of every bin, and ``score_bins_``,
the training score deciles with their good/bad counts. A check bins a new
batch with the same bins, counts rows per bin (per class when labels are
given), and hands the two count tables to :func:`monitoring.drift_from_counts`
and friends. Counting is separate from the statistics: the counts of chunks
(or Dask partitions) add up, so memory does not grow with the batch size.

Modules, from the bottom up: ``_setup`` (model, bins, reference counts, id),
``_counting`` (count tables; Dask batches go to :mod:`monitoring._dask`) and
``_monitor`` (:class:`DriftMonitor`: reports from count tables).
"""

from ._monitor import DriftMonitor

__all__ = ["DriftMonitor"]
