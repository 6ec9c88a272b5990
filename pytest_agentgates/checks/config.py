"""The config-externalized check: settings are read from the environment or config files, and the
source hard-codes no database/cache/broker DSN with a host, no local or internal service URL, and
no ``DEBUG = True`` outside development settings."""

from __future__ import annotations

import ast
import ipaddress
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import SourceFile, python_files
from .pycode import unparsable

URL = re.compile(r"^([a-z][a-z0-9+.-]*)://\S+$", re.IGNORECASE)
WEB_SCHEMES = frozenset({"http", "https", "ws", "wss", "grpc", "grpcs"})
# Databases, caches, brokers and mail servers: where they are differs between environments.
DSN_SCHEMES = frozenset({"postgres", "postgresql", "mysql", "mariadb", "redis", "rediss", "mongodb",
                         "amqp", "amqps", "mssql", "oracle", "cockroachdb", "clickhouse", "kafka",
                         "nats", "memcached", "memcache", "elasticsearch", "opensearch", "ldap",
                         "ldaps", "sqlserver", "snowflake", "neo4j", "bolt", "cassandra", "couchdb",
                         "influxdb", "mqtt", "smtp", "smtps"})  # fmt: skip
LOCAL_NAMES = frozenset({"localhost", "host.docker.internal", "0.0.0.0", "::", "::1"})  # noqa: S104
INTERNAL_SUFFIXES = (".internal", ".local", ".lan", ".corp", ".intranet", ".svc", ".cluster.local")
# Strings passed as these keywords describe something; they configure nothing.
PROSE_KEYWORDS = frozenset({"help", "description", "summary", "example", "examples", "doc", "msg"})
ENV_LOOKUPS = frozenset({"getenv", "getenvb"})
CONFIG_LOADERS = frozenset({"load_dotenv", "dotenv_values", "Dynaconf", "Env", "from_envvar",
                            "from_prefixed_env", "from_pyfile", "from_file", "ConfigParser",
                            "RawConfigParser", "config"})  # fmt: skip
DEVELOPMENT = re.compile(r"(^|_|\b)(dev|development|local|test|tests|testing|debug)($|_|\b)", re.I)
DEVELOPMENT_CLASS = re.compile(r"Dev|Local|Test|Debug")
BINDING_CALLS = re.compile(r"run|serve|listen|bind|start", re.IGNORECASE)


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    sources = python_files(ctx)
    if not sources:
        return Outcome(SKIPPED, "no Python source to read settings from")
    files = [file for file in sources if file.tree is not None]
    defaults = _names_used_as_defaults(files)
    findings = unparsable(sources)  # a module that cannot be read may hard-code anything
    reads: list[str] = []
    for file in files:
        reader = _Reader(file, defaults)
        reader.visit(file.tree)
        findings += reader.findings
        reads += reader.reads
    if findings:
        broken = sum(finding.code == "PARSE" for finding in findings)
        counts = []
        if len(findings) > broken:
            counts.append(f"{len(findings) - broken} hard-coded setting(s) in the source")
        if broken:
            counts.append(f"{broken} module(s) cannot be checked")
        return Outcome(FAILED, "; ".join(counts), len(findings), 0, tuple(findings))
    if not reads:
        return Outcome(SKIPPED, "no settings found: the source reads no environment variable or "
                       "config file and hard-codes no DSN, service URL or DEBUG")  # fmt: skip
    more = f" (+{len(reads) - 1} more)" if len(reads) > 1 else ""
    return Outcome(PASSED, f"settings read from the environment or config at {reads[0]}{more}; no "
                   "hard-coded DSN, service URL or DEBUG = True", 0, 0)  # fmt: skip


def _names_used_as_defaults(files: list[SourceFile]) -> set[str]:
    """Names given as the default of an environment lookup anywhere (``getenv("X", DEFAULT_URL)``)."""
    names: set[str] = set()
    for file in files:
        for node in file.nodes:
            for default in _defaults_of(node):
                names |= {n.id for n in ast.walk(default) if isinstance(n, ast.Name)}
    return names


def _defaults_of(node: ast.AST) -> list[ast.expr]:
    """The expressions ``node`` uses as a fallback value of a setting."""
    if isinstance(node, ast.Call):
        found = [kw.value for kw in node.keywords if kw.arg == "default"]
        if _is_env_lookup(node):
            found += node.args[1:]
        return found
    is_or = isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)
    if is_or and any(_is_env_lookup(inner) for inner in ast.walk(node.values[0])):
        return node.values[1:]  # os.environ.get("URL") or "http://localhost:8000"
    return []


def _is_env_lookup(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = _dotted(node.func)
    last = name.rsplit(".", 1)[-1]
    receiver = name.rsplit(".", 1)[0].lower() if "." in name else ""
    return (
        last in ENV_LOOKUPS
        or (last in ("get", "setdefault") and "env" in receiver)  # os.environ.get, env.get
        or (
            last in ("env", "config") and "." not in name
        )  # django-environ env(), decouple config()
        or receiver.endswith("env")  # env.str(...), env.int(...)
    )


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


class _Reader(ast.NodeVisitor):
    """Walks one module: where it reads settings, and what it hard-codes."""

    def __init__(self, file: SourceFile, defaults: set[str]) -> None:
        self.file = file
        self.defaults = defaults
        self.findings: list[Finding] = []
        self.reads: list[str] = []
        self.fallbacks: set[int] = set()  # ids of expressions that are defaults of a lookup
        self.skipped: set[int] = set()  # docstrings, prose keywords
        self.in_main = False
        self.in_settings_class = False
        self.development = bool(DEVELOPMENT.search(file.relative.rsplit("/", 1)[-1][:-3]))
        self.class_names: list[str] = []

    def _where(self, node: ast.AST) -> str:
        return f"{self.file.relative}:{node.lineno}"

    def _finding(self, node: ast.AST, code: str, message: str) -> None:
        self.findings.append(Finding(self.file.relative, node.lineno, code, message))

    def visit_Module(self, node: ast.Module) -> None:
        self._skip_docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._skip_docstring(node)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._skip_docstring(node)
        settings = any(_dotted(base).endswith("Settings") for base in node.bases)
        if settings:
            self.reads.append(self._where(node))
        outer = self.in_settings_class
        self.in_settings_class = outer or settings
        self.class_names.append(node.name)
        self.generic_visit(node)
        self.class_names.pop()
        self.in_settings_class = outer

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        is_main = (
            isinstance(test, ast.Compare)
            and _dotted(test.left) == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
        )
        outer = self.in_main
        self.in_main = outer or is_main
        self.generic_visit(node)
        self.in_main = outer

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "environ" and _dotted(node.value) == "os":
            self.reads.append(self._where(node))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func).rsplit(".", 1)[-1]
        if _is_env_lookup(node) or name in CONFIG_LOADERS:
            self.reads.append(self._where(node))
        self.fallbacks |= {id(default) for default in _defaults_of(node)}
        for keyword in node.keywords:
            if keyword.arg in PROSE_KEYWORDS:
                self.skipped.add(id(keyword.value))
            elif keyword.arg in ("host", "hostname") and not BINDING_CALLS.search(name):
                self._hard_coded_host(keyword.value, name)
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.fallbacks |= {id(default) for default in _defaults_of(node)}
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if any(isinstance(t, ast.Name) and t.id in self.defaults for t in targets):
            self.fallbacks.add(id(value))
        if self.in_settings_class:
            self.fallbacks.add(id(value))  # a pydantic settings field: the environment overrides it
        if isinstance(value, ast.Constant) and value.value is True:
            for target in targets:
                if self._is_debug(target):
                    self._finding(node, "CFG002", f"{ast.unparse(target)} = True hard-coded; read "
                                  "it from the environment (development settings excepted)")  # fmt: skip
        self.generic_visit(node)

    visit_AnnAssign = visit_Assign

    def _is_debug(self, target: ast.expr) -> bool:
        if self._development() or self.in_main:
            return False
        if isinstance(target, ast.Name):
            return target.id == "DEBUG"
        if isinstance(target, ast.Attribute):
            return target.attr == "debug" and isinstance(target.value, ast.Name)  # app.debug
        return (
            isinstance(target, ast.Subscript)
            and isinstance(target.slice, ast.Constant)
            and target.slice.value == "DEBUG"
        )  # app.config["DEBUG"]

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.skipped:
            self._url(node, node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if id(node) in self.skipped:
            return
        text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        self._url(node, text)  # f"postgres://{user}@db.example.com/app" still names its host

    def _default(self, node: ast.AST) -> bool:
        return id(node) in self.fallbacks

    def _url(self, node: ast.expr, text: str) -> None:
        match = URL.match(text.strip())
        if not match:
            return
        scheme = match.group(1).lower().split("+")[0]
        host = _host(text.strip())
        # sqlite:/// and file:// name no host; s3://bucket and the like are not services.
        if not host or "{" in host or "%" in host or scheme not in DSN_SCHEMES | WEB_SCHEMES:
            return
        kind = _host_kind(host)
        shown = _masked(text.strip())
        if scheme in DSN_SCHEMES and kind != "local":
            self._finding(node, "CFG001", f"hard-coded {scheme} URL with host {host}: {shown}")
        elif kind == "internal" or (kind == "local" and not self._local_allowed(node)):
            where = "a local" if kind == "local" else "an internal"
            self._finding(node, "CFG003", f"hard-coded URL of {where} host: {shown}")

    def _local_allowed(self, node: ast.AST) -> bool:
        """A local address is fine as a fallback, in a ``__main__`` block and in development settings."""
        return self._default(node) or self.in_main or self._development()

    def _development(self) -> bool:
        return self.development or any(DEVELOPMENT_CLASS.search(n) for n in self.class_names)

    def _hard_coded_host(self, value: ast.expr, callee: str) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
            kind = _host_kind(value.value)
            if (
                value.value not in ("0.0.0.0", "::")
                and kind != "public"
                and not self.in_main
                and not self._development()
            ):  # noqa: S104
                self._finding(
                    value, "CFG003", f"hard-coded host {value.value!r} passed to {callee}()"
                )

    def _skip_docstring(self, node: ast.AST) -> None:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.skipped.add(id(body[0].value))


def _host(url: str) -> str:
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return ""
    host = netloc.rsplit("@", 1)[-1].split(",")[0]  # the first of several hosts
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.split(":")[0]


def _host_kind(host: str) -> str:
    """``local`` (this machine), ``internal`` (a private network name) or ``public``."""
    host = host.lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return "local"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if "." not in host or host.endswith(INTERNAL_SUFFIXES):
            return "internal"  # `db`, `redis`: a compose or cluster service name
        return "public"
    if address.is_loopback or address.is_unspecified:
        return "local"
    return "internal" if address.is_private else "public"


def _masked(url: str) -> str:
    """The URL with any password replaced by ``****``."""
    return re.sub(r"(://[^:/@\s]*:)[^@/\s]+@", r"\1****@", url)
