"""The reviewer's judgment of each machine verdict (True accept, False reject, None not judged)."""

import json
from pathlib import Path

J = {}


def j(proj, seed, line, status, ok, note, label=None):
    """Judge the verdict `status` of the gate at `line`; `label` limits it to before or after."""
    key = f"{proj}|{seed}|{line}"
    J.setdefault(key, {})[f"{label}:{status}" if label else status] = [ok, note]


P = "healthchecks"
S = "000"
j(
    P,
    S,
    92,
    "failed",
    True,
    "Explicit words (<40 lines), applied literally: 25 functions are over 39 lines (hc/front/views.py). The added complexity <= 10 is not in the words, but the length alone fails.",
)
j(
    P,
    S,
    93,
    "failed",
    False,
    "The one finding is hc/integrations/shell/transport.py:50, the opt-in Shell Commands integration (SHELL_ENABLED, off by default), whose job is to run the command the project owner configured; not client data. A maintainer would not call this unvalidated input.",
)
j(
    P,
    S,
    370,
    "failed",
    False,
    "Same single B605 finding as line 93: the opt-in shell integration running the owner's command by design.",
)
j(
    P,
    S,
    111,
    "passed",
    True,
    "326 of the tests run (partial run: hc/accounts, hc/lib) all pass; CI runs the same tests green.",
)
j(
    P,
    S,
    112,
    "failed",
    True,
    "Verdict acceptable by the bandit half read literally ('no security-scanner warnings': bandit reports 14, B324 SHA1 high). The ruff half is wrong: 469 are ruff 0.17's own default rules (384 RUF012 on Django Meta/migrations, UP017, UP031); the project has no lint config, CONTRIBUTING.md asks only for `ruff format`, CI runs no linter.",
)
j(
    P,
    S,
    113,
    "failed",
    False,
    "Blames the project for a plugin option: the report is written by the plugin itself with --agent-gates-report; nothing in the project can satisfy or fix it.",
)
j(
    P,
    S,
    361,
    "failed",
    False,
    "Vague words ('aligns with system design') read as 'no import cycle'; 8 of the 10 cycles are function-local imports (hc/front/views.py:1351 etc., inside a function), Django's standard way of breaking model/view cycles.",
)
j(
    P,
    S,
    367,
    "failed",
    False,
    "ruff's default rules of ruff 0.17 (RUF012 x384 on Django Meta and migrations, UP017 x65 ...): not the project's convention. The project's declared style is `ruff format` (CONTRIBUTING.md); by hand `ruff format --check hc`: 5 of 651 files would change.",
)
j(P, S, 393, "failed", False, "Same ruff-defaults finding as line 367.")
j(
    P,
    S,
    368,
    "failed",
    False,
    "Deliberate code read as stubs: Channel.transport / Flip.select_channels raise NotImplementedError for an unknown kind (a guard, not a stub); NoopClient._send/close/pipeline are a null-object statsd client (empty by design). The 2 FIXMEs are real but not 'business logic not implemented'.",
)
j(
    P,
    S,
    369,
    "failed",
    False,
    "'Error handling comprehensive' read as flake8-bugbear B904 (raise without from): a style rule the project does not use; 19 places.",
)
j(
    P,
    S,
    372,
    "failed",
    False,
    "Issue 11 symptom 4: 91 NOLOG on ordinary control flow (except User.DoesNotExist: return None in auth backends). The project logs (logging.getLogger in hc/api, hc/lib).",
)
j(
    P,
    S,
    375,
    "failed",
    None,
    "Partial-run artefact: 2 of 5 test folders were run, so 52 % is what that run covers. Not judged. (The 80 % for 'cover all business logic' is itself a default the words do not give.)",
)
j(
    P,
    S,
    380,
    "failed",
    None,
    "Partial-run artefact (branch coverage of 2 of 5 folders); not judged. The 80 % is a default the words do not give.",
)
j(
    P,
    S,
    376,
    "skipped",
    False,
    "Wrong: healthchecks has 112 path(...) entries in hc/urls.py, hc/api/urls.py and hc/front/urls.py and API tests (hc/api/tests/test_*.py use self.client). 'no HTTP routes found' on a Django app is a route-discovery miss.",
)
j(
    P,
    S,
    377,
    "failed",
    False,
    "'Security tests prevent vulnerabilities' answered with a bandit scan of the code, not the tests: B324 SHA1 used for badge/ping ids, B104 in the smtpd command. Says nothing about the security tests (hc/accounts/tests test CSRF, sudo mode, 2FA).",
)
j(
    P,
    S,
    378,
    "failed",
    True,
    "The project has no performance tests; the promise says they exist. Acceptable, though 'pytest-benchmark is not active' is the only evidence looked for.",
)
j(
    P,
    S,
    379,
    "failed",
    False,
    "Issue 11 symptom 5: 100 % of error paths demanded, a threshold the words never give.",
)
j(
    P,
    S,
    383,
    "passed",
    True,
    "hc/settings.py reads every setting from os.environ (envbool/envint); docs/self_hosted_configuration.md documents them.",
)
j(P, S, 384, "passed", True, "As line 383.")
j(
    P,
    S,
    385,
    "passed",
    True,
    "docker/Dockerfile:51 HEALTHCHECK runs fetchstatus.py; the app has /api/v3/status/.",
)
j(P, S, 386, "passed", True, "Tests run in CI (.github/workflows/tests.yml, coverage.yml).")
j(
    P,
    S,
    387,
    "failed",
    True,
    "True: api.0051 is RunPython(fill_ping_kind) without reverse_code, so the schema cannot be rolled back to zero; the project does not claim reversible migrations, but the promise does and the finding names the migration.",
)
j(
    P,
    S,
    388,
    "failed",
    False,
    "Issue 11 symptom 5: the project has README.md and 70 documentation pages (templates/docs/*.md, rendered at healthchecks.io/docs); failed on a docstring share of 80 % the words never name.",
)
S = "004"
j(
    P,
    S,
    85,
    "failed",
    False,
    "As seed 000 line 369: flake8-bugbear's B904 (raise without from), a style rule the project does not use, read as 'error handling not proper'.",
)
j(P, S, 89, "passed", True, "makemigrations --check agrees with the models.")
j(
    P,
    S,
    93,
    "failed",
    False,
    "As seed 000 line 93: the opt-in shell integration (SHELL_ENABLED) runs the owner's configured command by design.",
)
j(
    P,
    S,
    94,
    "failed",
    None,
    "Partial-run artefact (branch coverage of 2 of 5 folders); not judged. 80 % is a default the words ('verify ... edge case coverage') do not give.",
)
j(
    P,
    S,
    90,
    "failed",
    False,
    "Both false: docker/.env.example:7 DB_PASSWORD=fixme-postgres-password is the documented placeholder in an example file; hc/accounts/views.py:314 ctx['email_password_status'] = 'success' is a UI status string (bandit B105 on the name). settings.py reads every secret from the environment.",
)
# healthchecks, after
S = "000"
j(
    P,
    S,
    112,
    "failed",
    True,
    "After: same as before; the summary now says 'ruff's default rules (no project configuration)', still 469 from ruff 0.17's broad default set, and still acceptable only by the bandit half.",
    label="after",
)
for line in (367, 393):
    j(
        P,
        S,
        line,
        "failed",
        False,
        "After: unchanged 469, now labelled 'ruff's default rules (no project configuration)'. The project's only declared code-style tool is `ruff format` (CONTRIBUTING.md: 'Format your Python code with ruff'); ruff 0.17's defaults (RUF012 x384 on Django Meta/migrations) are not its convention. Lint should read the formatter-only evidence as 'format', or use ruff's classic E4/E7/E9/F.",
        label="after",
    )
j(
    P,
    S,
    372,
    "passed",
    True,
    "The project logs: logging.getLogger in hc/api/management/commands, hc/lib; 'logging instrumented' is true.",
)
j(
    P,
    S,
    379,
    "failed",
    None,
    "Partial-run artefact (2 of 5 folders run): 24 % of error paths executed against the new 50 % default. Not judged.",
    label="after",
)
j(P, S, 388, "passed", True, "README.md with content, plus 70 docs pages under templates/docs.")
S = "004"

# flaskbb (16641f60), seed 000
P, S = "flaskbb", "000"
j(
    P,
    S,
    92,
    "failed",
    True,
    "Explicit (<40 lines): 14 functions over 39 lines (generate_config 201 lines).",
)
for line in (93, 370):
    j(
        P,
        S,
        line,
        "failed",
        False,
        "The one finding is flaskbb/cli/main.py:382, `flaskbb shell` exec-ing the user's own $PYTHONSTARTUP file, the same idiom as `flask shell` and Python's REPL; not client input.",
    )
j(
    P,
    S,
    111,
    "failed",
    True,
    "True for this checkout with its pinned requirements: reproduced without the plugin (`pytest -n 0 --no-cov tests/unit/user -x`: AssertionError, blueprint '_themes' already registered; and 2 modules import flask._request_ctx_stack, gone in the pinned Flask 3.0.3).",
)
j(
    P,
    S,
    112,
    "failed",
    True,
    "Acceptable: the project's own flake8 (setup.cfg config, run by hand) reports 40 warnings (F401 x4, E501, E741, bugbear B904/B914...), and bandit 8.",
)
for line in (367, 393):
    j(
        P,
        S,
        line,
        "failed",
        False,
        "Before: 483 from ruff's default rules, not the project's flake8 config in setup.cfg (select C,E,F,W,B,B9, max-line-length 88, ignore E203,E712,E711,W503).",
        label="before",
    )
    j(
        P,
        S,
        line,
        "failed",
        True,
        "After: the setup.cfg flake8 config through ruff, 34 findings; the verdict is right (flake8 by hand: 40). But part of the evidence is wrong: flake8's `select = C` means mccabe C90 (+ installed C plugins, none here), and ruff's C also selects flake8-comprehensions C4xx, so C408/C401/C403 in flaskbb/app.py are findings flake8 never reports.",
        label="after",
    )
j(
    P,
    S,
    113,
    "failed",
    False,
    "As healthchecks: blames the project for not passing --agent-gates-report.",
)
j(
    P,
    S,
    361,
    "failed",
    False,
    "Vague words read as 'no import cycle'; the cycles go through function-local imports (forum/models.py:881 inside a function) and the package __init__'s version import, the usual Flask app layout.",
)
j(
    P,
    S,
    368,
    "failed",
    False,
    'Issue 11 symptom 7, still after: the 68 \'empty functions\' start with click command groups (flaskbb/cli/plugins.py:27 `@flaskbb.group() def plugins(): """docstring"""`, themes, translations, users) and pluggy hookspecs (flaskbb/plugins/spec.py), empty by design.',
)
j(
    P,
    S,
    369,
    "failed",
    True,
    "Borderline, accepted: 12 of the 16 are bugbear B904, which the project's own flake8 config selects (setup.cfg select B9) and its flake8 reports by hand; the 4 BLE001 (except Exception that logs and flashes) are not in its config.",
)
j(
    P,
    S,
    372,
    "failed",
    False,
    "Before: 27 NOLOG (symptom 4); the app configures logging in create_app (configure_logging, file and mail handlers).",
    label="before",
)
j(P, S, 372, "passed", True, "After: the project logs (logging.config in flaskbb/app.py:188).")
for line in (375, 379, 380):
    j(
        P,
        S,
        line,
        "error",
        False,
        "An error the plugin could handle: 'coverage.py could not report: Can't touch files in an empty CoverageData'. The project's addopts turn on pytest-cov (--cov flaskbb --cov-config setup.cfg --cov-append, [coverage:run] parallel = true); the plugin's own measurement then has no data. Tests did run (1-2 passed, 17 failed, 217 errors), so there is coverage to report.",
    )
j(
    P,
    S,
    376,
    "skipped",
    False,
    "Wrong: FlaskBB registers its routes through 78 calls of its helper register_view(bp, routes=[...], view_func=...) (flaskbb/forum/views.py:1123) and blueprint.add_url_rule, and has tests/endtoend tests with the test client.",
)
j(
    P,
    S,
    377,
    "failed",
    False,
    "A bandit scan of the code for 'security tests prevent vulnerabilities': says nothing about the tests.",
)
j(P, S, 378, "failed", True, "No performance tests exist.")
for line in (383, 384):
    j(
        P,
        S,
        line,
        "failed",
        False,
        "redis://localhost:6379 are the defaults in flaskbb/configs/default.py and in the `flaskbb makeconfig` template; FlaskBB's configuration is a file the operator generates and points FLASKBB_SETTINGS at, which overrides them (docs/installation.rst). A default is not a hard-coded setting.",
    )
j(
    P,
    S,
    385,
    "skipped",
    False,
    "Wrong reason: FlaskBB is a deployable web app (wsgi.py, celery_worker.py, docs/installation.rst deployment section) with routes; 'nothing here serves' is false (follows from the route miss, line 376). It has no health endpoint, so 'failed' would be the verdict a maintainer signs.",
)
j(P, S, 386, "passed", True, "pytest runs in .github/workflows/tests.yml.")
j(
    P,
    S,
    387,
    "error",
    False,
    "An error the plugin could handle: FlaskBB uses Flask-Alembic (flaskbb/migrations, 13 revisions, plugin branches), which has no alembic.ini by design; `flaskbb db upgrade` / `downgrade` run it. Flask-Alembic is not Flask-Migrate, but it is the same kind: app-context Alembic.",
)
j(
    P,
    S,
    388,
    "failed",
    False,
    "Before: a Sphinx docs/ tree exists (docs/conf.py, installation, cli, plugins); failed on README section words and an 80 % docstring share the words never name.",
    label="before",
)
j(P, S, 388, "passed", True, "After: README.md and the Sphinx docs tree.")

# django-rest-framework, seed 000
P, S = "django-rest-framework", "000"
j(
    P,
    S,
    92,
    "failed",
    True,
    "Explicit (<40 lines): 17 functions over 39 lines (get_field_kwargs 115 lines).",
)
for line in (93, 370):
    j(P, S, line, "passed", True, "No injection sink in rest_framework/.")
j(
    P,
    S,
    111,
    "failed",
    True,
    "True here: tests/test_parsers.py::TestFileUploadParser::test_get_encoded_filename fails without the plugin too (Django 6.1.3, this machine's locale); 1638 passed.",
)
j(
    P,
    S,
    112,
    "failed",
    True,
    "Acceptable by the bandit half read literally (26 warnings, mark_safe in templatetags); the lint half is wrong (see line 367).",
)
for line in (367, 393):
    j(
        P,
        S,
        line,
        "failed",
        False,
        "Before: ruff's default rules, not the project's flake8 ([tool.flake8] in pyproject.toml, read by flake8-pyproject as .pre-commit-config.yaml installs it) and isort config. By hand: flake8 7.3 + flake8-pyproject + bugbear + tidy-imports: 0; isort 7.0 --check-only: 0.",
        label="before",
    )
    j(
        P,
        S,
        line,
        "failed",
        False,
        "After: 2 I001 from ruff's isort emulation (rest_framework/settings.py:21, tests/test_one_to_one_with_inheritance.py:1), but isort 7.0 --check-only with the project's [tool.isort] reports 0: ruff's I is not isort with these settings. And the [tool.flake8] section in pyproject.toml (flake8-pyproject, in the pre-commit hook's additional_dependencies) was not read: the summary names only isort.",
        label="after",
    )
j(
    P,
    S,
    113,
    "failed",
    False,
    "As the other projects: blames the project for not passing --agent-gates-report.",
)
j(
    P,
    S,
    361,
    "failed",
    False,
    "Vague words read as 'no import cycle'; each cycle passes through a function-local import (request.py:358, schemas/__init__.py:47 inside a function), the deliberate way DRF breaks them.",
)
j(
    P,
    S,
    368,
    "failed",
    False,
    "TODO comments ('# TODO: test this.') and an abstract base's NotImplementedError are not unimplemented business logic.",
)
j(
    P,
    S,
    369,
    "failed",
    False,
    "26 of 30 are bugbear B904, which the project explicitly turns off ([tool.flake8] extend-ignore = ['E501','W503','W504','B'], extend-select B006 only).",
)
j(
    P,
    S,
    372,
    "failed",
    True,
    "True: rest_framework/ has no logging import, logger or call; the library does not log.",
)
j(P, S, 375, "passed", True, "95 % line coverage; codecov.yml is the project's own measure.")
j(
    P,
    S,
    376,
    "skipped",
    False,
    "Wrong: DRF's tests define and exercise URL patterns (urlpatterns in 24 test modules, routers, APIClient/APIRequestFactory tests); issue 11 symptom 8 (6 routes found before) is now 0 found.",
)
j(
    P,
    S,
    377,
    "failed",
    False,
    "A bandit scan (mark_safe in templatetags, escaped input) answers a promise about security tests.",
)
j(P, S, 378, "failed", True, "No performance tests exist.")
j(P, S, 379, "passed", True, "82 % of error paths run; a default the project meets.")
j(P, S, 380, "passed", True, "90 % branch coverage.")
for line in (383, 384):
    j(P, S, line, "skipped", True, "A library: no settings of its own to externalize.")
j(P, S, 385, "skipped", True, "Not a deployable service (issue 11 symptom 6 fixed).")
j(P, S, 386, "passed", True, "tox runs the tests in .github/workflows/main.yml.")
j(
    P,
    S,
    387,
    "error",
    False,
    "An error the plugin could handle: DRF's tests configure Django in tests/conftest.py (pytest_configure: settings.configure(...)), so there is no settings module for a child process. The session has configured settings; the round trip can run with them (authtoken's 6 migrations), or be skipped with that reason, not an error.",
)
j(P, S, 388, "passed", True, "README.md and the mkdocs docs tree.")

# django-rest-framework, seed 000, before only
j(
    P,
    S,
    372,
    "failed",
    False,
    "Before: right verdict for the wrong reason: 69 NOLOG on control flow (except UnicodeDecodeError in authentication.py:79 raising its own error), not 'the project does not log'.",
    label="before",
)
j(
    P,
    S,
    379,
    "failed",
    False,
    "Before: issue 11 symptom 5, 100 % of error paths demanded (82 % run).",
    label="before",
)
j(
    P,
    S,
    385,
    "skipped",
    True,
    "Before: skipped, with a reason that holds for a library (no Dockerfile, compose, manifest).",
    label="before",
)
j(
    P,
    S,
    388,
    "failed",
    False,
    "Before: a full mkdocs docs/ tree; failed on a README 'test' heading and an 80 % docstring share the words never name.",
    label="before",
)

# flaskbb, seed 004
P, S = "flaskbb", "004"
j(
    P,
    S,
    85,
    "failed",
    True,
    "As seed 000 line 369: 12 of 16 are B904, selected by the project's own flake8 config (B9).",
)
j(
    P,
    S,
    89,
    "error",
    False,
    "An error the plugin could handle: Flask-Alembic keeps no alembic.ini (its config lives in the app); as seed 000 line 387.",
)
j(
    P,
    S,
    90,
    "failed",
    True,
    "Accepted on one real finding: flaskbb/configs/default.py:178 WTF_CSRF_SECRET_KEY = 'reallyhardtoguess' is a secret shipped in the default config. 4 of the 5 findings are false: core/tokens.py:72 RESET_PASSWORD = 'reset_password' (a token-operation name), cli/main.py:499 'mail_password': '' (empty default), and two 'js-tokens' package names in themes/aurora/package-lock.json.",
)
j(P, S, 93, "failed", False, "As seed 000 line 93: `flaskbb shell` exec-ing $PYTHONSTARTUP.")
j(P, S, 94, "error", False, "Coverage error with pytest-cov active (as seed 000 line 375).")

# django-rest-framework, seed 004
P, S = "django-rest-framework", "004"
j(
    P,
    S,
    85,
    "failed",
    False,
    "As seed 000 line 369: B904, which the project's [tool.flake8] turns off (extend-ignore B).",
)
j(
    P,
    S,
    89,
    "error",
    False,
    "An error the plugin could handle: settings are configured in tests/conftest.py (settings.configure), no settings module; as seed 000 line 387.",
)
j(
    P,
    S,
    90,
    "failed",
    False,
    "False positive: rest_framework/settings.py:80 'UNAUTHENTICATED_TOKEN': None is a default setting (bandit B105 on the word TOKEN), not a secret.",
)
j(P, S, 93, "passed", True, "No injection sink.")
j(P, S, 94, "passed", True, "90 % branch coverage, over the 80 % default.")

Path(__file__).with_name("judgments.json").write_text(json.dumps(J, indent=1, ensure_ascii=False))
