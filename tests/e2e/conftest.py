"""The browser tests' shared fixtures: Debian's Chromium (module-scoped) and a page on the
live server. Locally, without /usr/bin/chromium, the tests skip with the reason; in CI
(CI=true) a missing browser is a failure, never a skip."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def chromium():
    if not shutil.which(CHROMIUM):
        if os.getenv("CI"):
            pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the test in a greenlet with its own context, where Django
    # hands out a new connection wrapper; give it the database contents serialized at
    # setup, so serialized rollback restores the knowledge base before each test.
    serialized = getattr(connections["default"], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if serialized is not None:
            connections["default"]._test_serialized_contents = serialized
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, settings):
    # The live server speaks plain HTTP; production cookies are Secure.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 720}
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()
