"""PD calibration: points to probabilities of default, and the master scale.

Imports ``_kit``, ``_stats``, ``_binning`` and ``_models`` (the room above
``_models``): the calibrator wraps a scorecard through its public methods.
"""
