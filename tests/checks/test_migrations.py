"""migrations-reversible: Alembic revisions and Django migrations read statically."""

from __future__ import annotations

import json

import pytest

AGENT = "## Definition of Done\n- Always create migrations with up() and down() functions\n"

REVISION = """
revision = "{rev}"
down_revision = {down}


def upgrade():
    op.create_table("t{rev}")


def downgrade():
{body}
"""


def alembic(rev: str, body: str, down: str = "None") -> str:
    return REVISION.format(rev=rev, down=down, body=body)


def test_alembic_revisions_with_real_downgrades_pass_and_merges_are_fine(pytester, project):
    project(AGENT, {
        "migrations/versions/a1.py": alembic("a1", '    op.drop_table("ta1")'),
        "migrations/versions/b2.py": alembic("b2", '    op.drop_table("tb2")', down='"a1"'),
        "migrations/versions/m3.py": 'revision = "m3"\ndown_revision = ("a1", "b2")\n\n\n'
                                     'def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n',
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*every migration has a real down path (3 Alembic revision(s))*"])


def test_alembic_downgrades_that_do_nothing_or_only_raise_are_findings(pytester, project):
    project(AGENT, {
        "migrations/versions/a1.py": alembic("a1", '    """Nothing to undo."""\n    pass'),
        "migrations/versions/b2.py": alembic("b2", '    raise NotImplementedError("one way")', down='"a1"'),
        "migrations/versions/c3.py": 'revision = "c3"\ndown_revision = "b2"\n\n\ndef upgrade():\n    pass\n',
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*3 migration(s) cannot be rolled back*",
            "*migrations/versions/a1.py:9 MIG002 revision 'a1': downgrade() is empty",
            "*migrations/versions/b2.py:9 MIG003 revision 'b2': downgrade() only raises",
            "*migrations/versions/c3.py:5 MIG001 revision 'c3': no downgrade()",
        ]
    )


DJANGO = """
from django.db import migrations


def forwards(apps, schema_editor):
    pass


def backwards(apps, schema_editor):
    raise RuntimeError("cannot undo")


class Migration(migrations.Migration):
    operations = [
        {operations}
    ]
"""


def django(operations: str) -> str:
    return DJANGO.format(operations=operations)


def test_django_reverses_noop_and_non_migration_modules(pytester, project):
    project(AGENT, {
        "shop/__init__.py": "",
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": django("migrations.RunPython(forwards, migrations.RunPython.noop),"),
        "shop/migrations/0002_sql.py": django('migrations.RunSQL("CREATE INDEX i", reverse_sql="DROP INDEX i"),'),
        "shop/migrations/helpers.py": "def forwards():\n    return 1\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*helpers*")
    (item,) = json.loads((pytester.path / "g.json").read_text(encoding="utf-8"))["agents"][0][
        "items"
    ]
    assert item["summary"].endswith("(2 Django migration(s))")
    assert item["notes"] == [
        "shop/migrations/0001_initial.py:14 migration 0001_initial: RunPython reverses with noop "
        "(reversible, does nothing)"
    ]


def test_django_operations_without_a_real_reverse_are_findings(pytester, project):
    project(AGENT, {
        "shop/migrations/0001_initial.py": django("migrations.RunPython(forwards),"),
        "shop/migrations/0002_sql.py": django('migrations.RunSQL("CREATE INDEX i", None),'),
        "shop/migrations/0003_raise.py": django("migrations.RunPython(forwards, reverse_code=backwards),"),
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*shop/migrations/0001_initial.py:14 MIG010 migration 0001_initial: RunPython without reverse_code",
            "*shop/migrations/0002_sql.py:14 MIG010 migration 0002_sql: RunSQL without reverse_sql",
            "*shop/migrations/0003_raise.py:14 MIG011 migration 0003_raise: RunPython: reverse_code only raises",
        ]
    )


MODULE_LEVEL_OPERATIONS = """
from django.db import migrations


def forwards(apps, schema_editor):
    pass


def backwards(apps, schema_editor):
    pass


PREPARE = [
    migrations.RunSQL("CREATE INDEX i ON t (a)", reverse_sql="DROP INDEX i"),
    migrations.RunPython(forwards{reverse}),
]


def cleanup():
    return [migrations.RunSQL("DELETE FROM t"{sql_reverse})]


class Migration(migrations.Migration):
    dependencies = []
    operations = PREPARE + [migrations.RunSQL("SELECT 1", migrations.RunSQL.noop)]
    operations += cleanup()
"""


def test_django_operations_built_from_module_level_lists_and_helpers_are_read(pytester, project):
    files = {"shop/migrations/0001_prepare.py": MODULE_LEVEL_OPERATIONS}
    project(AGENT, {name: text.format(reverse="", sql_reverse="") for name, text in files.items()})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*migrations-reversible: failed - 2 migration(s) cannot be rolled back*",
            "*shop/migrations/0001_prepare.py:14 MIG010 migration 0001_prepare: RunPython without reverse_code",
            "*shop/migrations/0001_prepare.py:19 MIG010 migration 0001_prepare: RunSQL without reverse_sql",
        ]
    )
    project(AGENT, {name: text.format(reverse=", reverse_code=backwards",
                                      sql_reverse=', reverse_sql="SELECT 1"')
                    for name, text in files.items()})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)


def test_no_migrations_is_skipped_not_passed(pytester, project):
    project(AGENT, {"app.py": "x = 1\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*backend.md:2: skipped: no migrations found*"])


def test_sql_up_down_pairs_dbmate_sections_and_flyway_undo(pytester, project):
    project(AGENT, {
        "db/migrate/001_users.up.sql": "CREATE TABLE users (id int);\n",
        "db/migrate/001_users.down.sql": "DROP TABLE users;\n",
        "db/migrate/002_index.up.sql": "CREATE INDEX i ON users (id);\n",
        "db/migrate/002_index.down.sql": "-- nothing to undo\n",
        "db/dbmate/20240101_orders.sql": "-- migrate:up\nCREATE TABLE orders (id int);\n\n-- migrate:down\n",
        "db/dbmate/20240102_items.sql": "-- migrate:up\nCREATE TABLE items (id int);\n-- migrate:down\nDROP TABLE items;\n",
        "sql/V1__init.sql": "CREATE TABLE a (id int);\n",
        "sql/U1__init.sql": "DROP TABLE a;\n",
        "sql/V2__more.sql": "CREATE TABLE b (id int);\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*3 migration(s) cannot be rolled back (2 Flyway migration(s), 2 SQL up/down migration(s), 2 dbmate migration(s))",
            "*db/dbmate/20240101_orders.sql:4 MIG021 empty -- migrate:down section",
            "*db/migrate/002_index.up.sql:1 MIG020 no non-empty 002_index.down.sql",
            "*sql/V2__more.sql:1 MIG022 no non-empty undo script U2__*.sql",
        ]
    )


def test_declared_one_way_migrations_are_reported_not_failed_unless_without_reason(
    pytester, project
):
    project(AGENT, {
        "migrations/versions/a1.py": "# agent-gates: one-way - the legacy table holds no data worth restoring\n"
                                     + alembic("a1", "    pass"),
        "db/migrate/001_drop.up.sql": "-- agent-gates: one-way\nDROP TABLE legacy;\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*1 migration(s) cannot be rolled back*",
            "*db/migrate/001_drop.up.sql:1 MIG030 declared one-way without a reason",
            "*note: migrations/versions/a1.py:1 declared one-way: the legacy table holds no data worth restoring",
        ]
    )


def test_unsupported_frameworks_are_skipped_never_passed(pytester, project):
    project(AGENT, {
        "migrations/20240101_users.js": "exports.up = knex => knex.schema.createTable('users');\n",
        "migrations/versions/a1.py": alembic("a1", '    op.drop_table("ta1")'),
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*skipped: migrations of framework knex are not supported yet (1 Alembic revision(s) checked)"
        ]
    )


def test_one_way_declarations_in_the_config_file_by_path_revision_or_django_name(pytester, project):
    project(AGENT, {
        "migrations/versions/a1.py": alembic("a1", "    pass"),
        "migrations/versions/b2.py": alembic("b2", '    raise RuntimeError("no")', down='"a1"'),
        "shop/migrations/0001_initial.py": django("migrations.RunPython(forwards),"),
        "shop/migrations/0002_merge.py": "from django.db import migrations\n\n\n"
                                         "class Migration(migrations.Migration):\n"
                                         '    dependencies = [("shop", "0001_initial"), ("shop", "0001_other")]\n'
                                         "    operations = []\n",
        "agent-gates.yaml": "one_way:\n"
                            "  - migration: migrations/versions/a1.py\n    reason: the legacy table is gone\n"
                            "  - migration: b2\n    reason: names are anonymised\n"
                            "  - migration: shop.0001_initial\n    reason: seeds production data\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=1)
    (item,) = json.loads((pytester.path / "g.json").read_text(encoding="utf-8"))["agents"][0][
        "items"
    ]
    assert item["summary"] == (
        "every migration has a real down path (2 Alembic revision(s), 2 Django migration(s))"
    )
    assert item["notes"] == [
        "migrations/versions/a1.py declared one-way in agent-gates.yaml:2: the legacy table is gone",
        "migrations/versions/b2.py declared one-way in agent-gates.yaml:4: names are anonymised",
        "shop/migrations/0001_initial.py declared one-way in agent-gates.yaml:6: seeds production data",
    ]


def test_config_declarations_without_a_reason_or_naming_no_migration_are_findings(
    pytester, project
):
    project(AGENT, {
        "migrations/versions/a1.py": alembic("a1", "    pass"),
        "agent-gates.yaml": "one_way:\n"
                            "  - migration: a1\n"
                            "  - migration: migrations/versions/zz.py\n    reason: typo in the path\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*1 migration(s) cannot be rolled back (1 Alembic revision(s)); 2 one-way "
            "declaration(s) in the config file are wrong",
            "*migrations/versions/a1.py:9 MIG002 revision 'a1': downgrade() is empty",
            "*agent-gates.yaml:2 MIG031 one-way entry for a1 has no reason",
            "*agent-gates.yaml:3 MIG032 one-way entry names no migration: 'migrations/versions/zz.py' "
            "(a path relative to the rootdir, an Alembic revision id or a Django app_label.name)",
        ]
    )


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("one_way:\n  - a1\n", "agent-gates.yaml:2: each entry needs 'migration: <path or "
         "revision id>' and 'reason: <why>'"),
        ("one_way:\n  - migration: a1\n    reasons: typo\n", "agent-gates.yaml:2: unknown key "
         "'reasons'; expected migration, reason"),
        ("one_way: a1\n", "agent-gates.yaml:1: expected a list of '- migration: ...' entries"),
    ],
    ids=["not-a-mapping", "unknown-key", "not-a-list"],
)  # fmt: skip
def test_malformed_one_way_section_is_an_error_naming_file_and_line(
    pytester, project, yaml, message
):
    project(
        AGENT, {"migrations/versions/a1.py": alembic("a1", "    pass"), "agent-gates.yaml": yaml}
    )
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*migrations-reversible could not run: *{message}"])
