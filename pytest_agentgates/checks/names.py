"""What looks like a secret: names that hold one, values that are only placeholders, masking."""

from __future__ import annotations

import re
from itertools import pairwise

SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "pass", "passphrase", "secret", "secrets", "token", "tokens",
     "apikey", "credential", "credentials", "privatekey", "accesskey", "secretkey"}
)  # fmt: skip
SECRET_PAIRS = frozenset(
    {("api", "key"), ("private", "key"), ("access", "key"), ("signing", "key"),
     ("encryption", "key"), ("master", "key"), ("auth", "key")}
)  # fmt: skip
# A name ending in one of these is about a secret, not a secret: TOKEN_URL, password_length.
NOT_A_SECRET = frozenset(
    {"url", "uri", "urls", "endpoint", "path", "file", "filename", "dir", "name", "names", "field",
     "fields", "type", "kind", "length", "len", "size", "min", "max", "ttl", "expiry", "expires",
     "expire", "expiration", "lifetime", "timeout", "age", "seconds", "minutes", "hours", "days",
     "header", "prefix", "suffix", "env", "var", "variable", "id", "algorithm", "algo", "policy",
     "pattern", "regex", "rounds", "iterations", "count", "hint", "label", "required", "enabled",
     "mode", "format", "provider", "backend", "class", "validator", "validators", "hasher",
     "hashers", "reset", "param", "location", "scope", "scopes", "message", "template", "error",
     "limit", "strength", "rule", "rules", "widget", "form", "input", "column", "attr"}
)  # fmt: skip
PLACEHOLDER_WORDS = frozenset(
    {"changeme", "changeit", "replaceme", "placeholder", "example", "dummy", "fake", "sample",
     "secret", "password", "passwd", "pass", "token", "apikey", "key", "todo", "tbd", "fixme",
     "none", "null", "nil", "redacted", "removed", "hidden", "masked", "test", "testing",
     "default", "empty", "notset", "unset", "foo", "bar", "foobar", "xxx", "yoursecret",
     "yourpassword", "yourtoken", "yourapikey", "yourkey", "mypassword", "mysecret", "secretkey"}
)  # fmt: skip
PLACEHOLDER_PARTS = ("changeme", "change_me", "change-me", "example", "placeholder", "your_",
                     "your-", "replace_me", "replace-me", "xxxx", "dummy", "insert")  # fmt: skip


def words(name: str) -> list[str]:
    """``apiKey`` / ``API_KEY`` / ``api-key`` -> ["api", "key"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [word for word in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if word]


def is_secret_name(name: str) -> bool:
    """``password``, ``db_pass``, ``API_KEY``, ``githubToken``; not ``TOKEN_URL`` or
    ``password_min_length``, which are about a secret without holding one."""
    parts = words(name)
    if not parts or parts[-1] in NOT_A_SECRET:
        return False
    return bool(SECRET_WORDS & set(parts)) or any(pair in SECRET_PAIRS for pair in pairwise(parts))


def is_placeholder(value: str) -> bool:
    """A value that grants nothing: empty, ``changeme``, ``<your-token>``, ``${VAR}``, ``xxx``,
    or the name of an environment variable (``DB_PASSWORD``)."""
    value = value.strip().strip("'\"")
    lowered = value.lower()
    if not value or value.startswith(("$", "<", "{{", "%(", "{")) or value.endswith(">"):
        return True
    if re.fullmatch(r"(.)\1*", value) or re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", value):
        return True
    if re.sub(r"[^a-z0-9]", "", lowered) in PLACEHOLDER_WORDS:
        return True
    return any(part in lowered for part in PLACEHOLDER_PARTS)


def mask(value: str) -> str:
    """The first four characters of a long value (enough to recognise a key's kind), else none."""
    return value[:4] + "***" if len(value) >= 12 else "***"
