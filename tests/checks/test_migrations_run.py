"""migrations-roundtrip and migrations-in-sync: real Alembic and real Django on SQLite, in small
projects written here; the database the project configures is never touched."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

AGENT = """
    ## Definition of Done
    - Rollback procedures tested
    - Database migrations are in sync with the models
    """

# --- Alembic ------------------------------------------------------------------------------------
ALEMBIC_INI = """
[alembic]
script_location = migrations
prepend_sys_path = .
sqlalchemy.url = sqlite:///app.db
"""
ENV_PY = """
from alembic import context
from sqlalchemy import engine_from_config, pool

from app.models import metadata

config = context.config
target_metadata = metadata
engine = engine_from_config(
    config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
"""
# An env.py that takes its URL from the environment, ignoring sqlalchemy.url: the plugin cannot
# redirect it, so it must refuse to run rather than migrate (and downgrade) the developer's database.
ENV_PY_OWN_URL = ENV_PY.replace(
    "engine = engine_from_config(\n"
    '    config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool\n'
    ")",
    'import os\nfrom sqlalchemy import create_engine\n\nengine = create_engine(os.environ.get("APP_DB", "sqlite:///app.db"))',
)
MODELS = """
import sqlalchemy as sa

metadata = sa.MetaData()
widgets = sa.Table(
    "widgets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50)),{extra}
)
"""
REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down}


def upgrade():
    {upgrade}


def downgrade():
    {downgrade}
"""
CREATE = 'op.create_table("widgets", sa.Column("id", sa.Integer, primary_key=True))'
ADD_NAME = 'op.add_column("widgets", sa.Column("name", sa.String(50)))'
DROP_NAME = 'with op.batch_alter_table("widgets") as batch:\n        batch.drop_column("name")'


def alembic_project(
    b2_downgrade: str = DROP_NAME, b2_upgrade: str = ADD_NAME, env: str = ENV_PY, extra: str = ""
) -> dict[str, str]:
    """Revision a1 creates widgets(id); b2 adds its name column; the models say widgets(id, name)."""
    return {
        "alembic.ini": ALEMBIC_INI,
        "migrations/env.py": env,
        "migrations/versions/a1.py": REVISION.format(
            rev="a1", down="None", upgrade=CREATE, downgrade='op.drop_table("widgets")'
        ),
        "migrations/versions/b2.py": REVISION.format(
            rev="b2", down='"a1"', upgrade=b2_upgrade, downgrade=b2_downgrade
        ),
        "app/__init__.py": "",
        "app/models.py": MODELS.format(extra=extra),
    }


def developer_database(path: Path) -> tuple[bytes, int]:
    """The database a developer has at head, with data a downgrade would destroy."""
    connection = sqlite3.connect(path)
    connection.executescript(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);"
        "INSERT INTO alembic_version VALUES ('b2');"
        "CREATE TABLE widgets (id INTEGER PRIMARY KEY, name VARCHAR(50));"
        "INSERT INTO widgets (name) VALUES ('precious');"
    )
    connection.commit()
    connection.close()
    return path.read_bytes(), path.stat().st_mtime_ns


def unchanged(path: Path, before: tuple[bytes, int]) -> bool:
    return (path.read_bytes(), path.stat().st_mtime_ns) == before


def gates(pytester: pytest.Pytester) -> dict[str, dict]:
    report = json.loads((pytester.path / "g.json").read_text(encoding="utf-8"))
    return {item["text"]: item for agent in report["agents"] for item in agent["items"]}


def test_alembic_round_trip_and_models_in_sync_pass_and_leave_the_configured_database_alone(
    pytester, project
):
    project(AGENT, alembic_project())
    before = developer_database(pytester.path / "app.db")
    result = pytester.runpytest("--agent-gates", "-v", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*PASSED *backend.md:2 Rollback procedures tested: upgrade, downgrade and upgrade again "
            "succeeded in * s on a throwaway SQLite database (Alembic alembic.ini)",
            "*PASSED *backend.md:3 Database migrations are in sync with the models: the models and "
            "the migrations agree (Alembic alembic.ini)",
        ]
    )
    assert unchanged(pytester.path / "app.db", before)
    items = gates(pytester)
    roundtrip = items["Rollback procedures tested"]
    assert roundtrip["summary"].startswith("upgrade, downgrade and upgrade again succeeded in ")
    assert roundtrip["summary"].endswith(" s on a throwaway SQLite database (Alembic alembic.ini)")
    assert roundtrip["required"] == {"migrations-roundtrip": "<= 300 s"}
    assert 0 < roundtrip["measured"]["migrations-roundtrip"] < 300
    (timings,) = roundtrip["notes"]
    assert timings.startswith("alembic.ini (Alembic 1.")  # the versions the runner imported
    assert ", SQLAlchemy " in timings and "): upgrade to head " in timings
    assert ", downgrade to base " in timings and ", upgrade to head again " in timings
    assert items["Database migrations are in sync with the models"]["summary"] == (
        "the models and the migrations agree (Alembic alembic.ini)"
    )


def test_alembic_failing_downgrade_names_the_step_the_revision_and_its_error(pytester, project):
    project(AGENT, alembic_project(b2_downgrade='op.drop_table("missing")'))
    result = pytester.runpytest("--agent-gates")
    # The comparison still runs, on a fresh database brought to head.
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip: failed - downgrade to base failed in revision b2: "
            "OperationalError: (sqlite3.OperationalError) no such table: missing*--agent-gates-database URL)",
            "*migrations/versions/b2.py:13 MIG102 downgrade to base failed in revision b2: "
            "OperationalError: (sqlite3.OperationalError) no such table: missing*",
            "*note: alembic.ini (Alembic *, SQLAlchemy *): upgrade to head * s, downgrade to base * s",
        ]
    )
    assert not (pytester.path / "app.db").exists()


@pytest.fixture(scope="module")
def old_alembic(tmp_path_factory) -> Path:
    """Alembic 1.12 and SQLAlchemy 1.4 (no ``toml_file``, no ``alembic check`` internals of today),
    installed apart for this test run: a project's own older versions."""
    target = tmp_path_factory.mktemp("old-alembic")
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--target",
               str(target), "alembic==1.12.*", "sqlalchemy==1.4.*"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode:
        pytest.skip(f"Alembic 1.12 could not be installed: {done.stderr.strip()[-300:]}")
    return target


def test_the_project_s_older_alembic_and_sqlalchemy_on_the_session_path_are_the_ones_run(
    pytester, project, old_alembic
):
    files = alembic_project()
    files["pyproject.toml"] = (  # [tool.alembic]: read from Alembic 1.16
        f"[tool.pytest.ini_options]\npythonpath = [{str(old_alembic)!r}]\n\n"
        '[tool.alembic]\nscript_location = "migrations"\n'
    )
    project(AGENT, files)
    result = pytester.runpytest_subprocess("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=2)
    (timings,) = gates(pytester)["Rollback procedures tested"]["notes"]
    assert timings.startswith("alembic.ini (Alembic 1.12.1, SQLAlchemy 1.4.")


def test_alembic_models_out_of_sync_and_a_round_trip_over_budget_fail(pytester, project):
    agent = AGENT.rstrip() + "\n    - Rollback path completes in under 0.001 seconds\n"
    project(agent, alembic_project(extra='\n    sa.Column("colour", sa.String(20)),'))
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-in-sync: failed - 1 model change(s) have no migration (Alembic alembic.ini)",
            "*migrations/env.py:7 MIG201 not in the migrations: add_column widgets.colour",
            "*migrations-roundtrip: failed - the round trip took * s on a throwaway SQLite "
            "database, required < 0.001 s",
        ]
    )


def test_env_py_with_its_own_url_is_an_error_and_the_developer_database_is_untouched(
    pytester, project, monkeypatch
):
    monkeypatch.delenv("APP_DB", raising=False)
    project(AGENT, alembic_project(env=ENV_PY_OWN_URL))
    before = developer_database(pytester.path / "app.db")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip could not run: alembic.ini: env.py connected to another "
            f"database (sqlite database {pytester.path / 'app.db'}) instead of the one the plugin "
            "set as sqlalchemy.url; the connection was refused and nothing ran there. Make env.py "
            "take its URL from config.get_main_option('sqlalchemy.url')*",
        ]
    )
    assert unchanged(pytester.path / "app.db", before)


def test_configured_database_changed_behind_the_guard_is_an_error_not_a_pass(pytester, project):
    # The guard sees SQLAlchemy connections only; the fingerprint of the file catches the rest.
    touch = 'import sqlite3\n\nsqlite3.connect("app.db").execute("CREATE TABLE IF NOT EXISTS touched (id int)")\n'
    project(AGENT, alembic_project(env=touch + ENV_PY))
    developer_database(pytester.path / "app.db")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip could not run: alembic.ini: the configured database "
            f"{pytester.path / 'app.db'} changed during the run",
            "*migrations-in-sync could not run: alembic.ini: the configured database *app.db changed*",
        ]
    )


def test_a_runner_that_dies_without_a_report_is_an_error_not_a_pass(pytester, project):
    project(AGENT, alembic_project(env="import os\n\nos._exit(3)\n"))
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip could not run: the migration runner for alembic.ini stopped with "
            "code 3: (no output)"
        ]
    )


def test_migrations_that_need_another_database_than_sqlite_say_so(pytester, project):
    project(
        AGENT,
        alembic_project(b2_upgrade='op.execute("ALTER TABLE widgets ALTER COLUMN id TYPE bigint")'),
    )
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip could not run: alembic.ini: the migrations cannot run on SQLite "
            '(upgrade to head: OperationalError: (sqlite3.OperationalError) near "ALTER": syntax '
            "error*); if the migrations need another database than SQLite, name a disposable one "
            "with --agent-gates-database URL",
            "*migrations-in-sync could not run: alembic.ini: the models could not be compared with "
            "the migrations: could not upgrade to head: OperationalError*",
        ]
    )


def test_a_database_named_on_the_command_line_is_the_one_migrated(pytester, project):
    project(AGENT, alembic_project())
    named = pytester.path / "scratch.db"
    result = pytester.runpytest("--agent-gates", "-v", f"--agent-gates-database=sqlite:///{named}")
    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("*throwaway*")
    connection = sqlite3.connect(named)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("b2",)]
    connection.close()
    assert not (pytester.path / "app.db").exists()


def test_one_way_declared_in_the_config_file_is_reported_and_the_downgrade_stops_there(
    pytester, project
):
    agent = AGENT.rstrip() + "\n    - Always create migrations with up() and down() functions\n"
    files = alembic_project(b2_downgrade='raise RuntimeError("names cannot be recovered")')
    files["agent-gates.yaml"] = "one_way:\n  - migration: b2\n    reason: names are anonymised\n"
    project(agent, files)
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=3)
    items = gates(pytester)
    assert items["Always create migrations with up() and down() functions"]["notes"] == [
        "migrations/versions/b2.py declared one-way in agent-gates.yaml:2: names are anonymised"
    ]
    (timings,) = items["Rollback procedures tested"]["notes"]
    assert ", downgrade to b2 (declared one-way) " in timings


def test_alembic_revisions_without_an_alembic_ini_cannot_be_run(pytester, project):
    files = alembic_project()
    del files["alembic.ini"]
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*could not run: 2 Alembic revision(s) found but no alembic.ini to run them with"]
    )


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"app.py": "x = 1\n"}, "no Alembic or Django migrations found"),
        (
            {"db/001_users.up.sql": "CREATE TABLE users (id int);\n",
             "db/001_users.down.sql": "DROP TABLE users;\n"},
            "running SQL up/down migrations is not supported yet (Alembic and Django migrations are)",
        ),
    ],
    ids=["none", "sql"],
)  # fmt: skip
def test_nothing_to_run_is_skipped_never_passed(pytester, project, files, reason):
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines([f"*backend.md:2: skipped: {reason}"])


# --- Flask-Migrate ------------------------------------------------------------------------------
FLASK_APP = """
from pathlib import Path

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
migrate = Migrate()


class Widget(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(__file__).parent / "app.db")
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    return app
"""
WIDGET_REVISIONS = {
    "a1.py": REVISION.format(rev="a1", down="None", upgrade=CREATE.replace("widgets", "widget"),
                             downgrade='op.drop_table("widget")'),
    "b2.py": REVISION.format(rev="b2", down='"a1"', upgrade=ADD_NAME.replace("widgets", "widget"),
                             downgrade=DROP_NAME.replace("widgets", "widget")),
}  # fmt: skip


def flask_migrate_project(pytester: pytest.Pytester, project, app_file: str) -> None:
    """The app, and the migrations folder ``flask db init`` writes (Flask-Migrate's own env.py)."""
    pytest.importorskip("flask_migrate", reason="Flask-Migrate is not installed")
    project(AGENT, {app_file: FLASK_APP, **({"shop/__init__.py": ""} if "/" in app_file else {})})
    module = app_file[: -len(".py")].replace("/", ".")
    init = [sys.executable, "-m", "flask", "--app", f"{module}:create_app()", "db", "init"]
    subprocess.run(init, cwd=pytester.path, capture_output=True, check=True, timeout=120)
    for name, text in WIDGET_REVISIONS.items():
        (pytester.path / "migrations" / "versions" / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("app_file", "flask_app"),
    [("app.py", None), ("shop/factory.py", "shop.factory:create_app()")],
    ids=["app.py-create_app", "FLASK_APP"],
)
def test_flask_migrate_round_trip_runs_in_the_app_on_a_throwaway_database(
    pytester, project, monkeypatch, app_file, flask_app
):
    flask_migrate_project(pytester, project, app_file)
    if flask_app:
        monkeypatch.setenv("FLASK_APP", flask_app)
    else:
        monkeypatch.delenv("FLASK_APP", raising=False)
    database = (pytester.path / app_file).parent / "app.db"
    before = developer_database(database)
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=2)
    assert unchanged(database, before)
    items = gates(pytester)
    (timings,) = items["Rollback procedures tested"]["notes"]
    assert timings.startswith("migrations/alembic.ini (Alembic ")
    assert "Flask-Migrate " in timings and ", downgrade to base " in timings
    assert items["Database migrations are in sync with the models"]["summary"] == (
        "the models and the migrations agree (Alembic migrations/alembic.ini)"
    )


def test_flask_migrate_failures_and_model_changes_are_found_in_the_app(pytester, project):
    flask_migrate_project(pytester, project, "app.py")
    (pytester.path / "app.py").write_text(
        FLASK_APP.replace(
            "db.String(50))", "db.String(50))\n    colour = db.Column(db.String(20))"
        ),
        encoding="utf-8",
    )
    broken = WIDGET_REVISIONS["b2.py"].replace(
        'batch.drop_column("name")', 'op.drop_table("missing")'
    )
    (pytester.path / "migrations" / "versions" / "b2.py").write_text(broken, encoding="utf-8")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip: failed - downgrade to base failed in revision b2: "
            "OperationalError: (sqlite3.OperationalError) no such table: missing*",
            "*migrations-in-sync: failed - 1 model change(s) have no migration*",
            "*migrations/env.py:* MIG201 not in the migrations: add_column widget.colour",
        ]
    )
    assert not (pytester.path / "app.db").exists()


def test_flask_migrate_without_an_app_to_find_says_how_to_name_it(pytester, project, monkeypatch):
    flask_migrate_project(pytester, project, "shop/factory.py")
    monkeypatch.delenv("FLASK_APP", raising=False)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip could not run: migrations/alembic.ini: the Flask app could not be "
            "loaded: NoAppException: Could not locate a Flask application.* (the migrations are "
            "Flask-Migrate's: set FLASK_APP as for `flask db upgrade`)"
        ]
    )


# --- Django -------------------------------------------------------------------------------------
MANAGE = """
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""
SETTINGS = """
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "not-a-secret"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
"""
DJANGO_MODELS = """
from django.db import models


class Widget(models.Model):
    name = models.CharField(max_length=50){extra}
"""
INITIAL = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Widget",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50)),
            ],
        ),
    ]
"""
FILL = """
from django.db import migrations


def fill(apps, schema_editor):
    apps.get_model("shop", "Widget").objects.create(name="first")


def empty(apps, schema_editor):
    apps.get_model("shop", "Widget").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython({arguments})]
"""


def django_project(fill: str = "fill, empty", extra: str = "") -> dict[str, str]:
    return {
        "manage.py": MANAGE,
        "site_config/__init__.py": "",
        "site_config/settings.py": SETTINGS,
        "shop/__init__.py": "",
        "shop/models.py": DJANGO_MODELS.format(extra=extra),
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": INITIAL,
        "shop/migrations/0002_fill.py": FILL.format(arguments=fill),
    }


@pytest.fixture
def no_settings_variable(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)


@pytest.mark.usefixtures("no_settings_variable")
def test_django_round_trip_and_models_in_sync_pass_and_leave_the_configured_database_alone(
    pytester, project
):
    project(AGENT, django_project())
    database = pytester.path / "db.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE shop_widget (id INTEGER PRIMARY KEY, name VARCHAR(50))")
    connection.commit()
    connection.close()
    before = database.read_bytes(), database.stat().st_mtime_ns
    result = pytester.runpytest("--agent-gates", "-v", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=2)
    assert unchanged(database, before)
    items = gates(pytester)
    assert items["Rollback procedures tested"]["summary"].endswith(
        " s on a throwaway SQLite database (Django site_config.settings)"
    )
    assert items["Database migrations are in sync with the models"]["summary"] == (
        "the models and the migrations agree (Django site_config.settings)"
    )


@pytest.mark.usefixtures("no_settings_variable")
def test_django_irreversible_operation_and_model_change_without_migration_fail(pytester, project):
    project(
        AGENT,
        django_project(
            fill="fill", extra='\n    colour = models.CharField(max_length=20, default="red")'
        ),
    )
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip: failed - downgrade to base failed in migration shop.0002_fill: "
            "IrreversibleError: Operation <RunPython <function fill>> in shop.0002_fill is not reversible",
            "*shop/migrations/0002_fill.py:1 MIG102 downgrade to base failed in migration "
            "shop.0002_fill: IrreversibleError*",
            "*migrations-in-sync: failed - 1 model change(s) have no migration (Django site_config.settings)",
            "*shop/models.py:4 MIG201 not in the migrations: shop: Add field colour to widget",
        ]
    )
    assert not (pytester.path / "db.sqlite3").exists()


@pytest.mark.usefixtures("no_settings_variable")
def test_django_one_way_declared_in_the_config_file_stops_the_downgrade(pytester, project):
    files = django_project(fill="fill")
    files["agent-gates.yaml"] = (
        "one_way:\n  - migration: shop.0002_fill\n    reason: seeds production data\n"
    )
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=2)
    (timings,) = gates(pytester)["Rollback procedures tested"]["notes"]
    assert ", stopping at shop.0002_fill (declared one-way) " in timings


@pytest.mark.usefixtures("no_settings_variable")
def test_django_migration_writing_to_the_configured_database_is_an_error(pytester, project):
    files = django_project()
    files["shop/migrations/0002_fill.py"] = files["shop/migrations/0002_fill.py"].replace(
        "def fill(apps, schema_editor):\n",
        "def fill(apps, schema_editor):\n"
        "    import sqlite3\n"
        "    from django.conf import settings\n\n"
        '    sqlite3.connect(settings.BASE_DIR / "db.sqlite3").execute("CREATE TABLE touched (id int)")\n',
    )
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip could not run: site_config.settings: the configured database "
            f"{pytester.path / 'db.sqlite3'} changed during the run"
        ]
    )


@pytest.mark.usefixtures("no_settings_variable")
def test_django_settings_that_cannot_load_are_an_error_not_a_pass(pytester, project):
    files = django_project()
    files["site_config/settings.py"] += "\nimport not_installed_anywhere\n"
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*migrations-roundtrip could not run: site_config.settings: Django could not load the "
            "project with site_config.settings: ModuleNotFoundError: No module named "
            "'not_installed_anywhere'"
        ]
    )


@pytest.mark.usefixtures("no_settings_variable")
def test_django_migrations_without_settings_cannot_be_run(pytester, project):
    files = django_project()
    del files["manage.py"]
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*could not run: 2 Django migration(s) found but no settings module: no manage.py "
            "naming DJANGO_SETTINGS_MODULE, and neither the variable nor the DJANGO_SETTINGS_MODULE "
            "ini key names one"
        ]
    )


CONFTEST_SECRET = 'import os\n\nos.environ["LIBRARY_SECRET"] = "set-by-conftest"\n'
CONFTEST_PATH = "import sys\nfrom pathlib import Path\n\nsys.path.insert(0, str(Path(__file__).parent / 'src'))\n"


@pytest.mark.usefixtures("no_settings_variable")
@pytest.mark.parametrize(
    ("conftest", "pythonpath"),
    [(CONFTEST_SECRET, 'pythonpath = ["src"]\n'), (CONFTEST_SECRET + CONFTEST_PATH, "")],
    ids=["pythonpath-ini", "conftest-insertion"],
)
def test_django_child_process_sees_the_session_settings_ini_sys_path_and_environment(
    pytester, project, conftest, pythonpath
):
    """A library: settings named only in the pytest ini, importable only from the rootdir; its app
    importable only through the ``pythonpath`` ini or a conftest's insertion; a secret the settings
    need, set by conftest."""
    settings = SETTINGS.replace("parent.parent", "parents[3]").replace(
        'SECRET_KEY = "not-a-secret"', 'import os\n\nSECRET_KEY = os.environ["LIBRARY_SECRET"]'
    )
    files = {
        "conftest.py": conftest,
        "tests/__init__.py": "",
        "tests/projects/__init__.py": "",
        "tests/projects/regular/__init__.py": "",
        "tests/projects/regular/settings.py": settings,
        "src/shop/__init__.py": "",
        "src/shop/models.py": DJANGO_MODELS.format(extra=""),
        "src/shop/migrations/__init__.py": "",
        "src/shop/migrations/0001_initial.py": INITIAL,
        "src/shop/migrations/0002_fill.py": FILL.format(arguments="fill, empty"),
    }
    ini = pythonpath + 'DJANGO_SETTINGS_MODULE = "tests.projects.regular.settings"'
    project(AGENT, files, ini=ini)
    result = pytester.runpytest("--agent-gates", "-v", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=2)
    summary = gates(pytester)["Rollback procedures tested"]["summary"]
    assert summary.endswith(
        " s on a throwaway SQLite database (Django tests.projects.regular.settings)"
    )
