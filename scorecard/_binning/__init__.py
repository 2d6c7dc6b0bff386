"""Bins: the FeatureBins definition, the exact merge DP and the stump binner."""
