"""Open HTML reports in a real headless Chromium (test helper).

Uses selenium with Debian's ``chromium`` and ``chromium-driver`` packages
(``/usr/bin/chromium``, ``/usr/bin/chromedriver``); no driver is downloaded.
Tests skip, with the reason, only when Chromium or its driver is not
installed; CI installs both and sets ``INFOSCORE_REQUIRE_BROWSER=1``, which
turns that skip into a failure.

Use in a test module::

    from tests._browser import assert_self_contained, chromium_session

    @pytest.fixture(scope="module")
    def browser():
        with chromium_session() as b:
            yield b

    def test_report(browser, tmp_path):
        page = browser.open(path, screenshot=tmp_path / "report.png")
        assert page.console_errors == []
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

#: Where Debian (and a few other distributions) put the browser and driver.
CHROMIUM_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)
CHROMEDRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")

#: Flags for a hermetic, headless run (``--no-sandbox`` is needed as root).
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--window-size=1280,1000",
)


def _first_existing(candidates: tuple[str, ...], env: str) -> str | None:
    override = os.environ.get(env)
    if override:
        return override if Path(override).exists() else None
    for path in candidates:
        if Path(path).exists():
            return path
    name = Path(candidates[0]).name
    return shutil.which(name)


@dataclass
class Page:
    """What the browser saw after loading a page.

    Attributes
    ----------
    url : str
        The file URL opened.
    title : str
        ``document.title``.
    headings : list of str
        Text of every ``h1``-``h3``, in document order.
    section_ids : list of str
        ``id`` of every ``<section>``.
    text : str
        The rendered text of the body (``innerText``).
    svg_count : int
        Number of ``<svg>`` elements in the DOM.
    console : list of dict
        Every browser log entry (level, source, message).
    console_errors : list of str
        Messages of SEVERE entries (script errors, failed loads, CSP
        violations).
    requests : list of str
        URLs the page's document requested other than itself (should be
        empty for a self-contained report); the browser's own ``chrome://``
        start-up traffic is not counted.
    screenshot : Path or None
        The full-page PNG, if one was asked for.
    size : tuple of int
        Width and height of the rendered document in CSS pixels.
    """

    url: str
    title: str
    headings: list[str]
    section_ids: list[str]
    text: str
    svg_count: int
    console: list[dict[str, Any]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    size: tuple[int, int] = (0, 0)


class Browser:
    """A running headless Chromium driven by selenium."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def open(self, path: str | Path, *, screenshot: str | Path | None = None) -> Page:
        """Load a local HTML file and collect DOM, console and network facts.

        Parameters
        ----------
        path : path-like
            The HTML file.
        screenshot : path-like, default=None
            Where to write a full-page PNG screenshot.
        """
        from selenium.webdriver.common.by import By

        file = Path(path).resolve()
        if not file.is_file():
            raise FileNotFoundError(f"No HTML file at {file}.")
        url = file.as_uri()
        driver = self.driver
        driver.get_log("browser")  # drop entries of earlier pages
        driver.get_log("performance")
        driver.get(url)
        title = driver.title
        headings = [
            e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, "h1, h2, h3")
        ]
        section_ids = [
            e.get_attribute("id") or ""
            for e in driver.find_elements(By.TAG_NAME, "section")
        ]
        text = driver.find_element(By.TAG_NAME, "body").text
        svg_count = len(driver.find_elements(By.TAG_NAME, "svg"))
        width, height = driver.execute_script(
            "return [document.documentElement.scrollWidth,"
            " document.documentElement.scrollHeight];"
        )
        shot = None
        if screenshot is not None:
            shot = Path(screenshot)
            data = driver.execute_cdp_cmd(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": True},
            )
            shot.write_bytes(base64.b64decode(data["data"]))
        console = driver.get_log("browser")
        errors = [e["message"] for e in console if e.get("level") == "SEVERE"]
        requests = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                params = message["params"]
                req_url = params["request"]["url"]
                # only what our document asked for (not the browser's own pages)
                if (
                    params.get("documentURL") == url
                    and req_url != url
                    and not req_url.startswith("data:")
                ):
                    requests.append(req_url)
        return Page(
            url=url,
            title=title,
            headings=headings,
            section_ids=section_ids,
            text=text,
            svg_count=svg_count,
            console=console,
            console_errors=errors,
            requests=requests,
            screenshot=shot,
            size=(int(width), int(height)),
        )


def chromium_available() -> tuple[bool, str]:
    """Whether Chromium and chromedriver are installed, and why not."""
    binary = _first_existing(CHROMIUM_PATHS, "INFOSCORE_CHROMIUM")
    driver = _first_existing(CHROMEDRIVER_PATHS, "INFOSCORE_CHROMEDRIVER")
    if binary is None:
        return False, (
            "Chromium is not installed (looked for "
            f"{', '.join(CHROMIUM_PATHS)}); install Debian's 'chromium' package."
        )
    if driver is None:
        return False, (
            "chromedriver is not installed (looked for "
            f"{', '.join(CHROMEDRIVER_PATHS)}); install 'chromium-driver'."
        )
    return True, ""


@contextmanager
def chromium_session() -> Iterator[Browser]:
    """Start headless Chromium with a fresh profile; skip if not installed.

    Yields
    ------
    Browser
    """
    ok, reason = chromium_available()
    if not ok:
        if os.environ.get("INFOSCORE_REQUIRE_BROWSER"):  # set by .ci/run
            pytest.fail(f"INFOSCORE_REQUIRE_BROWSER is set but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = _first_existing(CHROMIUM_PATHS, "INFOSCORE_CHROMIUM")
    driver_path = _first_existing(CHROMEDRIVER_PATHS, "INFOSCORE_CHROMEDRIVER")
    profile = tempfile.mkdtemp(prefix="infoscore-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(binary)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability(
        "goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"}
    )
    driver = webdriver.Chrome(
        options=options, service=Service(executable_path=str(driver_path))
    )
    try:
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class _Resources(HTMLParser):
    """Collect every tag and attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "link", "iframe", "object", "embed", "img", "base"):
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name in ("src", "srcset", "poster", "data"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "xlink:href") and v and not v.startswith("#"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and "url(" in v and "url(#" not in v:
                self.problems.append(f"<{tag} style with url()>")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}> event handler")

    def handle_data(self, data: str) -> None:
        if "@import" in data or "url(http" in data.replace(" ", ""):
            self.problems.append("CSS import or remote url()")


def assert_self_contained(html: str) -> None:
    """Fail if the HTML has scripts, external links, images or remote CSS."""
    parser = _Resources()
    parser.feed(html)
    assert parser.problems == [], f"not self-contained: {parser.problems[:10]}"
