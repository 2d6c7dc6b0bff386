"""Sphinx configuration of the infoscore documentation site.

Build (warnings are errors): ``python -m sphinx -W -b html docs docs/_build/html``
after ``pip install -e ".[docs]"``. The gallery runs every script of
``examples/``; ``INFOSCORE_DOCS_QUICK=1`` (set by ``.ci/run``) makes the slow
ones use smaller data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scorecard import __version__  # noqa: E402

project = "infoscore"
author = "the infoscore developers"
copyright = "2026, the infoscore developers"  # noqa: A001
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb"]
templates_path = ["_templates"]

# --- API reference -----------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # numpydoc sections carry the types
autodoc_default_options = {"inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# --- Markdown pages (design.md, methodology.md) -------------------------------
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

# --- Gallery -------------------------------------------------------------------
os.environ.setdefault("INFOSCORE_DOCS_QUICK", "0")
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # run every example, not only plot_*.py
    "filename_pattern": r".*\.py$",
    "ignore_pattern": r"(__init__|_shared)\.py$",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "capture_repr": ("_repr_html_", "__repr__"),
    "abort_on_example_error": True,
    "plot_gallery": "True",
}

# --- HTML ------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"infoscore {version}"
html_static_path = ["_static"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "navbar_end": ["navbar-icon-links"],
}
html_context = {"default_mode": "light"}


def _skip_request_setters(app, what, name, obj, skip, options):  # noqa: ANN001, ANN201
    """Leave out scikit-learn's generated ``set_*_request`` methods.

    They are metadata-routing plumbing documented by scikit-learn; their
    docstrings cross-reference scikit-learn's own glossary.
    """
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return skip


def setup(app):  # noqa: ANN001, ANN201
    """Connect the member filter."""
    app.connect("autodoc-skip-member", _skip_request_setters)
