"""Models on top of the bins: WoE encoder, scorecards, points and reason codes."""
