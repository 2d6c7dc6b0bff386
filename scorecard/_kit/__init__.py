"""The platform under every package.

Artifacts, I/O, the report kit, the CLI shell, Dask plumbing and input checks.
"""
