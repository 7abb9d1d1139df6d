"""Browser tests drive Debian's Chromium through Playwright (never a downloaded build)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI must run the browser tests: /usr/bin/chromium is missing")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture(scope="session")
def base_url(pytestconfig):
    """Playwright's own `base_url` is a method pytest warns about; same answer, plain
    function. The tests pass live_server's address themselves."""
    return pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url") or None
