"""stubs: NotImplementedError, empty functions and TODO comments, with the code meant to be empty."""

from __future__ import annotations

AGENT = "## Definition of Done\n- All business logic properly implemented\n"
TODO_AGENT = "## Definition of Done\n- No placeholder code: no TODOs, no unimplemented functions\n"

MEANT_TO_BE_EMPTY = '''
"""Interfaces, abstract bases and hooks: empty or raising by design. XXX in a docstring is prose."""

import http.server
from abc import ABC, ABCMeta, abstractmethod
from typing import Protocol, overload

import pluggy

hookspec = pluggy.HookspecMarker("shop")
NOTE = "TODO: this is a string, not a comment; so is FIXME"  # a todo-list, in lower case


class Repository(ABC):
    @abstractmethod
    def get(self, key):
        raise NotImplementedError

    def on_save(self, item):
        """Optional hook: does nothing unless a subclass says otherwise."""


class Legacy(metaclass=ABCMeta):
    def load(self):
        raise NotImplementedError("subclasses load")


class Reader(Protocol):
    def read(self) -> bytes: ...


class Storage:
    def save(self, item):
        """Store ``item``."""
        raise NotImplementedError


class Disk(Storage):
    pass


class Sqlite(Disk):
    def save(self, item):
        return item


class Notifier:
    def send(self, message):
        raise NotImplementedError  # overridden in another module, imported through the package


class ReadOnly(Sqlite):
    def save(self, item):  # a deliberate no-op override of a project method
        pass


class Exporter:
    def export(self, rows):
        raise NotImplementedError(f"subclasses of {type(self).__name__} must implement export()")


class Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        # the default writes every request to stderr
        pass


class ShopError(Exception):
    pass


@overload
def parse(value: int) -> int: ...
@overload
def parse(value: str) -> str: ...
def parse(value):
    return value


@hookspec(firstresult=True)
def shop_started(app):
    """Called once the shop is up."""


def noop(*args):
    pass


def ignore_event(event):
    pass
'''

EMAIL = """
from shop import Notifier as Base


class Email(Base):
    def send(self, message):
        return message
"""


CONTRACTS = {
    "shop/__init__.py": "from .contracts import Notifier\n",
    "shop/contracts.py": MEANT_TO_BE_EMPTY,
    "shop/email.py": EMAIL,
}

PLACEHOLDERS = '''
class Storage:
    def save(self, item):
        raise NotImplementedError  # no subclass overrides it: nothing implements saving


def checkout(cart):
    if cart.currency != "EUR":
        raise NotImplementedError(f"currency {cart.currency}")
    return sum(cart.items)


def refund(order):
    pass  # TODO


def invoice(order):
    """Send the invoice."""


def ship(order):
    ...


def total(prices):
    # TODO: discounts
    return sum(prices)  # FIXME rounding
'''


def test_placeholders_are_findings_and_design_by_contract_is_not(pytester, project):
    project(TODO_AGENT, {**CONTRACTS, "shop/orders.py": PLACEHOLDERS})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*stubs: failed - placeholder code left: 1 raise(s) of NotImplementedError, 3 empty function(s), "
            "3 TODO/FIXME/XXX comment(s)",
            "*shop/orders.py:3 NOT-IMPLEMENTED Storage.save raises NotImplementedError",
            "*shop/orders.py:12 EMPTY-BODY refund: the body is only pass",
            "*shop/orders.py:13 TODO TODO comment: # TODO",
            "*shop/orders.py:16 EMPTY-BODY invoice: the body is only a docstring",
            "*shop/orders.py:20 EMPTY-BODY ship: the body is only ...",
            "*shop/orders.py:25 TODO TODO comment: # TODO: discounts",
            "*shop/orders.py:26 TODO FIXME comment: # FIXME rounding",
        ]
    )
    result.stdout.no_fnmatch_line("*contracts.py*")
    result.stdout.no_fnmatch_line("*email.py*")
    result.stdout.no_fnmatch_line("*checkout raises*")  # a guard in a branch of real work


def test_vague_words_ask_for_no_todo_rule_and_null_objects_are_deliberate(pytester, project):
    """Field test of issue 11: "All business logic properly implemented" is not "no TODO
    comment"; a null object's empty methods are its implementation."""
    null = "class NoopClient:\n    def send(self, data):\n        pass\n\n    def close(self):\n        pass\n"
    project(AGENT, {"shop/__init__.py": "", "shop/metrics.py": null,
                    "shop/orders.py": "def total(prices):\n    # TODO: discounts\n    return sum(prices)\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1)


def test_abstract_methods_protocols_overloads_and_overridden_hooks_pass(pytester, project):
    project(AGENT, CONTRACTS)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*no placeholder code in 3 module(s)*"])
    (pytester.path / "shop" / "email.py").write_text("class Email:\n    pass\n", encoding="utf-8")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*shop/contracts.py:* NOT-IMPLEMENTED Notifier.send raises *"])


def test_a_project_without_python_source_is_skipped(pytester, project):
    project("## Definition of Done\n- No placeholder code\n")
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*skipped: no Python source to read"])


COMMANDS = '''
import click
import typer
from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("shop", __name__)
tool = typer.Typer()


@click.group()
def cli():
    """Shop administration."""


@bp.cli.group()
def catalog():
    """Manage the catalog."""


@app.cli.group("orders", help="Orders")
def orders():
    pass


@tool.callback()
def main():
    """The shop's command line."""


@catalog.command()
def reindex():
    """Rebuild the search index."""


def export():
    """Export the catalog."""
'''


def test_command_groups_are_deliberate_and_a_docstring_only_function_is_still_a_stub(
    pytester, project
):
    project(AGENT, {"shop/__init__.py": "", "shop/commands.py": COMMANDS})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*stubs: failed - placeholder code left: 2 empty function(s)",
            "*shop/commands.py:31 EMPTY-BODY reindex: the body is only a docstring",
            "*shop/commands.py:35 EMPTY-BODY export: the body is only a docstring",
        ]
    )
    for group in ("cli", "catalog", "orders", "main"):
        result.stdout.no_fnmatch_line(f"*EMPTY-BODY {group}:*")
