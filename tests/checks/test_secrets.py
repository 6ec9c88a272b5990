"""secrets: bandit's password tests, well-known key formats and .env files, values masked."""

from __future__ import annotations

import json

SECRETS_AGENT = "## Definition of Done\n- No secrets in code; use environment variables\n"
GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
AWS_KEY = "AKIA" + "Z7Q2W4E6R8T1Y3U5"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----\n"


def git_add_all(pytester) -> None:
    for args in (("init", "-q"), ("add", "-A")):
        assert pytester.run("git", *args).ret == 0


def test_secrets_in_source_config_key_files_and_a_tracked_env_file(pytester, project):
    project(SECRETS_AGENT, {
        "pkg/__init__.py": "",
        "pkg/settings.py": f"""
            import os

            DB_PASSWORD = "s3cr3t-hunter2-prod"
            GITHUB_TOKEN = "{GITHUB_TOKEN}"
            password = os.environ["DB_PASSWORD"]
            """,
        "config/prod.yaml": f"""
            database:
              url: postgres://app:Sup3rS3cretPass@db.internal:5432/app
              password: R3alP4ssw0rd!
            aws:
              access_key_id: {AWS_KEY}
            """,
        "deploy/server.pem": PEM,
        ".env": "API_KEY=live-9f8e7d6c5b4a3210\n",
    })  # fmt: skip
    git_add_all(pytester)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*secrets: failed - 7 secret(s) in the repository",
            "*.env:1 SEC009 .env is tracked by git: keep it out of the repository (.gitignore)*",
            "*config/prod.yaml:2 SEC007 credentials in a URL: postgres://app:***@db.internal:5432",
            "*config/prod.yaml:3 SEC008 secret setting password = [*][*][*]",
            "*config/prod.yaml:5 SEC001 AWS access key id: AKIA***",
            "*deploy/server.pem:1 SEC002 private key: -----BEGIN ... PRIVATE KEY-----",
            "*pkg/settings.py:3 B105 hard-coded secret DB_PASSWORD = [*][*][*]",
            "*pkg/settings.py:4 B105 hard-coded secret GITHUB_TOKEN = ghp_***",
        ]
    )
    # a password shows nothing of itself; a key shows only the prefix that names its kind
    for value in ("Sup3r", "R3al", AWS_KEY, GITHUB_TOKEN, "s3cr", "9f8e7d"):
        result.stdout.no_fnmatch_line(f"*{value}*")


MODELS = """
    import os
    from dataclasses import dataclass, field

    PASSWORD_FIELD = "password"
    PASSWORD_MIN_LENGTH = 12
    TOKEN_URL = "https://auth.example.org/oauth/token"
    token_type = "bearer"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    password = os.environ["DB_PASSWORD"]


    @dataclass
    class User:
        email: str
        password_hash: str = field(repr=False)
        password: str = ""


    def connect(user, password=None, api_key_env="API_KEY"):
        return user, password, api_key_env
    """


def test_secrets_traps_field_names_environment_reads_placeholders_and_ignored_files(
    pytester, project
):
    project(SECRETS_AGENT, {
        "pkg/__init__.py": "",
        "pkg/models.py": MODELS,
        ".env.example": "API_KEY=changeme\nSECRET_KEY=<your-secret-key>\n"
                        "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app\n",
        "config.example.yaml": 'password: "${DB_PASSWORD}"\ntoken: your-token-here\n',
        "alembic.ini": "[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\n",
        ".gitignore": ".env\n",
        ".env": "API_KEY=live-9f8e7d6c5b4a3210\n",
        "tests/fixtures/key.pem": PEM,
        "tests/test_models.py": f'KEY = "{AWS_KEY}"\n\n\ndef test_key():\n    assert KEY\n',
    })  # fmt: skip
    git_add_all(pytester)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*PASSED*: no secret found in 6 file(s)"])


def test_a_local_env_file_outside_git_is_not_judged(pytester, project):
    project(SECRETS_AGENT, {
        "pkg/__init__.py": "VERSION = '1'\n",
        ".env": "API_KEY=live-9f8e7d6c5b4a3210\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=report.json")
    result.assert_outcomes(passed=1)
    report = json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))
    assert report["agents"][0]["items"][0]["notes"] == [
        "not a git work tree: .env not judged (whether git would commit it is unknown)"
    ]


def test_nosec_waives_a_line_for_bandit_and_ruff_alike(pytester, project):
    project(SECRETS_AGENT, {
        "pkg/__init__.py": "",
        "pkg/fixtures.py": 'DEMO_PASSWORD = "demo-password-1234"  # nosec B105 - public demo\n',
    })  # fmt: skip
    pytester.runpytest("--agent-gates").assert_outcomes(passed=1)


def test_security_scan_hides_the_value_of_a_hard_coded_password(pytester, project):
    agent = "## Definition of Done\n- No security-scanner warnings of low severity or above\n"
    project(agent, {"pkg/__init__.py": 'ADMIN_PASSWORD = "hunter2-hunter2"\n'})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*pkg/__init__.py:1 B105 Possible hard-coded password (value hidden: see the secrets*"]
    )
    result.stdout.no_fnmatch_line("*hunter2*")
