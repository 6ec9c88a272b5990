"""pytest plugin giving healthchecks' tests the settings its own test runner (hc.api.tests.CustomRunner) sets."""

from __future__ import annotations


def pytest_sessionstart(session) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ("django.contrib.auth.hashers.MD5PasswordHasher",)
    settings.BLOCKING_EMAILS = True
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {}}
    }
