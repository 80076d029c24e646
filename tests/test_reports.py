"""The Evidence reports, built offline by `make reports`, open in headless Chromium with data and no errors."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading

import pytest

from orchestration.lib import paths

REPORTS = paths.REPO / "reports"
PAGES = [
    "",
    "crime",
    "street-crime",
    "forces",
    "volunteering",
    "roads",
    "workforce",
    "series",
    "data-quality",
    "glossary",
]
PAGES_WITHOUT_CHARTS = {"glossary"}


@pytest.fixture(scope="module")
def page_results():
    build = REPORTS / "build"
    assert (build / "index.html").exists(), "reports/build is missing: run `make reports` (make test does)"
    assert shutil.which("chromium") or shutil.which("/usr/bin/chromium"), "Chromium is missing: run `make chromium`"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(build))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # loopback only, a free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    shots = REPORTS / "screenshots"
    shots.mkdir(exist_ok=True)
    try:
        result = subprocess.run(
            ["node", "scripts/check-pages.mjs", f"http://127.0.0.1:{server.server_port}", str(shots), *PAGES],
            cwd=REPORTS,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    finally:
        server.shutdown()
    return {r["page"]: r for r in map(json.loads, result.stdout.strip().splitlines())}


def test_build_log_has_no_query_error():
    log = (REPORTS / "build.log").read_text(encoding="utf-8", errors="replace")
    assert "Error in Query" not in log and "Build complete" in log


@pytest.mark.parametrize("page", PAGES, ids=[p or "index" for p in PAGES])
def test_page_renders_with_data_and_no_errors(page_results, page):
    result = page_results[page or "index"]
    assert result["consoleErrors"] == [] and result["pageErrors"] == [], result
    assert result["queryErrors"] == 0, result
    # A prefetch the browser cancels (net::ERR_ABORTED) is no failure; anything else, or any other host, is.
    failed = [r for r in result["failedRequests"] if "ERR_ABORTED" not in r or not r.startswith("http://127.0.0.1")]
    assert failed == [], failed
    assert result["tableRows"] > 0, f"{result['page']}: no table rows rendered"
    if page not in PAGES_WITHOUT_CHARTS:
        assert result["charts"] > 0, f"{result['page']}: no chart rendered"
    assert (REPORTS / "screenshots" / f"{result['page']}.png").stat().st_size > 10_000


# Codes a reader must not see in a table cell: a bare snake_case code (`not_comparable`, `theme_theft`), a
# `theme_` breakdown, or a date printed as a timestamp (a financial year shows as 2021/22).
RAW_CODE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$|theme_|T00:00:00")
PAGES_WITH_CODES = {"glossary"}  # the glossary pairs each metric name with its code on purpose


@pytest.mark.parametrize("page", PAGES, ids=[p or "index" for p in PAGES])
def test_page_tables_show_words_not_codes(page_results, page):
    cells = [c.strip() for c in page_results[page or "index"]["cells"]]
    assert cells, f"{page or 'index'}: no table cells read"
    pattern = re.compile(r"theme_|T00:00:00") if page in PAGES_WITH_CODES else RAW_CODE
    shown = sorted({c for c in cells if pattern.search(c)})
    assert shown == [], f"{page or 'index'}: codes shown in table cells: {shown[:20]}"
    for code in ("not_comparable", "stock_at_period_end", "sum_of_months", "mean_of_months", "not_checkable"):
        assert not any(code in c for c in cells), f"{page or 'index'}: {code} shown"


def test_forces_page_ranks_essex_and_names_the_forces_absent(page_results):
    """The default view (January 2019, all crime excluding anti-social behaviour, every force with a population):
    Essex in the ranked table, and the four forces missing from the national archive named on the page."""
    result = page_results["forces"]
    cells = [c.strip() for c in result["cells"]]
    assert "Essex Police" in cells and "Kent Police" in cells
    for absent in ("Metropolitan Police Service", "Greater Manchester Police", "West Midlands Police"):
        assert absent in result["text"], absent
