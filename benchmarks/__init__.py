"""Speed and load scripts (`make bench`, `make bench-scale`, `make load`), and what the ones
that render pages through Django's test client share."""


def pages_as_tests_serve() -> None:
    """Serve pages as the tests do: static files without collectstatic's manifest (a fresh
    machine has none) and plain HTTP for the test client."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
