"""Each Python file is read and parsed once per session, whichever check asks first."""

from __future__ import annotations

import tokenize

from pytest_agentgates.checks import migrations
from pytest_agentgates.checks.change import imported_modules
from pytest_agentgates.project.context import CheckContext, TestRecord
from pytest_agentgates.project.sources import python_file, python_files

MIGRATION = """\
from django.db import migrations


class Migration(migrations.Migration):
    operations = [migrations.RunPython(lambda apps, schema: None)]
"""


def _context(tmp_path):
    root = tmp_path.resolve()
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (root / "shop" / "cart.py").write_text("import os  # why\nX = 1\n", encoding="utf-8")
    (root / "shop" / "migrations").mkdir()
    (root / "shop" / "migrations" / "0001_initial.py").write_text(MIGRATION, encoding="utf-8")
    return CheckContext(root, [root / "shop"], TestRecord(), lambda: None)


def test_a_file_read_by_one_check_is_not_read_again_by_another(tmp_path):
    ctx = _context(tmp_path)
    cart = next(file for file in python_files(ctx) if file.module == "shop.cart")
    cart.path.write_text("import sys\n", encoding="utf-8")  # a second read would see this
    assert imported_modules(ctx, cart.path) == {"os"}
    assert python_file(ctx, cart.path).tree is cart.tree


def test_migrations_and_their_one_way_declarations_share_one_read(tmp_path):
    ctx = _context(tmp_path)
    path = ctx.rootdir / "shop" / "migrations" / "0001_initial.py"
    assert [file.path for file in migrations.inventory(ctx).files] == [
        "shop/migrations/0001_initial.py"
    ]
    first = python_file(ctx, path)
    path.write_text("# agent-gates: one-way data lost\n" + MIGRATION, encoding="utf-8")
    declared, problems = migrations.one_way_declarations(ctx)
    assert (declared, problems) == ({}, [])  # the text read first, not the file as changed since
    assert python_file(ctx, path) is first
    fresh = CheckContext(ctx.rootdir, ctx.source, TestRecord(), lambda: None)  # a new session
    declared, _ = migrations.one_way_declarations(fresh)
    assert [d.reason for d in declared.values()] == ["data lost"]


def test_tokens_are_read_once_and_kept_up_to_an_error(tmp_path):
    ctx = _context(tmp_path)
    cart = python_file(ctx, ctx.rootdir / "shop" / "cart.py")
    assert cart.tokens is cart.tokens
    assert [t.string for t in cart.tokens if t.type == tokenize.COMMENT] == ["# why"]
    broken = ctx.rootdir / "shop" / "broken.py"
    broken.write_text('X = 1\nY = """never closed\n', encoding="utf-8")
    file = python_file(ctx, broken)
    assert file.tree is None and "line" in file.error
    assert [t.string for t in file.tokens if t.type == tokenize.NAME] == ["X", "Y"]
