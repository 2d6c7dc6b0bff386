"""The statistical spine: count tables, divergences (WoE, IV, PSI, JS) with SEs, AUC."""
