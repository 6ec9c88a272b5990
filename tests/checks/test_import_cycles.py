"""import-cycles: the project's own import graph, and the layer rules of agent-gates.yaml."""

from __future__ import annotations

import pytest

AGENT = "## Definition of Done\n- No circular dependencies\n"

NO_CYCLE = {
    # the package imports its submodules, which import siblings through the package: no cycle
    "shop/__init__.py": "from .orders import place\nfrom . import models\n",
    "shop/orders.py": "from shop.models import Order\nfrom shop import payments\n\n\n"
                      "def place():\n    return Order(), payments\n",
    "shop/models.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                      "    from shop.orders import place  # types only: never runs\n\n\n"
                      "class Order:\n    pass\n",
    "shop/payments.py": "import json\nimport shop.models\n",
}  # fmt: skip


def test_an_acyclic_graph_passes_and_type_checking_imports_are_not_edges(pytester, project):
    project(AGENT, NO_CYCLE)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*no import cycle among 4 module(s)*"])
    (pytester.path / "shop" / "broken.py").write_text("import shop.orders(\n", encoding="utf-8")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*import-cycles: failed - 0 import cycle(s), 1 unreadable module(s) among 5 module(s)",
            "*shop/broken.py:1 PARSE cannot be checked: *",
        ]
    )


def test_each_cycle_is_printed_with_its_import_lines(pytester, project):
    project(AGENT, {
        **NO_CYCLE,
        "shop/models.py": "from . import payments\n\n\nclass Order:\n    pass\n",
        "billing/__init__.py": "",
        "billing/a.py": "import billing.b\n",
        "billing/b.py": "from billing import c\n",
        "billing/c.py": "from .a import thing\n",
        "billing/d.py": "import billing.e\n",
        "billing/e.py": "def late():\n    from . import d  # deferred: Python's way to break a cycle\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*import-cycles: failed - 2 import cycle(s) among 10 module(s)",
            "*shop/models.py:1 IMPORT-CYCLE shop.models → shop.payments → shop.models "
            "(shop/models.py:1 from . import payments; shop/payments.py:2 import shop.models)",
            "*billing/a.py:1 IMPORT-CYCLE billing.a → billing.b → billing.c → billing.a "
            "(billing/a.py:1 import billing.b; billing/b.py:1 from billing import c; "
            "billing/c.py:1 from .a import thing)",
        ]
    )
    result.stdout.no_fnmatch_line("*billing.d → billing.e*")


LAYERS = """
layers:            # top first: a layer may import the ones below it
  - name: api
    modules: [shop.orders]
  - name: domain
    modules: shop.models
  - name: infrastructure
    modules: ["shop.pay*"]
"""


def test_layer_rules_hold_and_a_lower_layer_importing_a_higher_one_fails(pytester, project):
    project(AGENT, {**NO_CYCLE, "agent-gates.yaml": LAYERS})
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*import-cycles: failed - 0 import cycle(s), 2 layer violation(s) among 4 module(s)",
            "*shop/models.py:4 LAYER shop.models (layer domain) imports shop.orders (layer api, "
            "above it): from shop.orders import place  # types only: never runs",
            "*shop/payments.py:2 LAYER shop.payments (layer infrastructure) imports shop.models "
            "(layer domain, above it): import shop.models",
        ]
    )
    reordered = "layers:\n  - {name: api, modules: [shop.orders]}\n" \
                "  - {name: infrastructure, modules: [shop.payments]}\n" \
                "  - {name: domain, modules: [shop.models]}\n"  # fmt: skip
    (pytester.path / "agent-gates.yaml").write_text(reordered, encoding="utf-8")
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*, 1 layer violation(s)*", "*shop/models.py:4 LAYER*"])
    (pytester.path / "shop" / "models.py").write_text("class Order:\n    pass\n", encoding="utf-8")
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*no import cycle among 4 module(s), and the rules of 3 layer(s) hold*"]
    )


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("layers: {api: [shop.orders]}", "agent-gates.yaml:1: expected a list of layers*"),
        ("layers:\n  - name: api\n    modules: [shop.orders]\n    may_import: [db]",
         "agent-gates.yaml:2: unknown key(s) may_import; a layer has name and modules"),
        ("layers:\n  - name: api\n    modules: [shop.order]",
         "agent-gates.yaml:2: layer 'api': 'shop.order' names no module of the project"),
        ("layers:\n  - modules: [shop.orders]", "agent-gates.yaml:2: a layer needs a name"),
        ("layers:\n  - name: api\n    modules: []",
         "agent-gates.yaml:2: layer 'api': modules must be a non-empty list*"),
        ("layers:\n  - name: api\n    modules: [shop]\n  - name: db\n    modules: [shop.models]",
         "agent-gates.yaml:4: module shop.models is in layers 'api' and 'db'"),
        ("layers:\n  - name: api\n    modules: [shop.orders]\n  - name: api\n    modules: [shop.models]",
         "agent-gates.yaml:4: layer 'api' is listed twice"),
    ],
    ids=["not-a-list", "unknown-key", "no-such-module", "no-name", "no-modules", "two-layers", "twice"],
)  # fmt: skip
def test_a_malformed_layers_section_is_an_error_naming_file_and_line(
    pytester, project, entries, message
):
    project(AGENT, {**NO_CYCLE, "agent-gates.yaml": entries + "\n"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*import-cycles could not run: *{message}"])


def test_no_source_is_skipped(pytester, project):
    project(AGENT)
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*skipped: no Python source to read"])


def test_a_module_importing_its_own_parent_package_makes_no_cycle(pytester, project):
    """The parent package is initialised before its submodules: ``from shop import VERSION``
    in a module that ``shop/__init__.py`` imports is no cycle (field test, issue 11)."""
    project(AGENT, {
        "shop/__init__.py": "VERSION = '1'\nfrom .orders import place\n",
        "shop/orders.py": "from shop import VERSION\n\n\ndef place():\n    return VERSION\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*no import cycle among 2 module(s)*"])
