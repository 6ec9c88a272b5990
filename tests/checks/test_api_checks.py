"""api-tests and error-path-tests on real Flask, FastAPI and Django apps, coverage measured for real."""

from __future__ import annotations

import ast
import textwrap

import pytest

from pytest_agentgates.project.error_paths import find_error_paths
from pytest_agentgates.project.sources import SourceFile

AGENT = """
    ## Definition of Done
    - Every endpoint tested
    - Failure paths tested
    """
INI = 'pythonpath = ["."]'

FLASK_APP = {
    "notes/__init__.py": "",
    "notes/app.py": """
        from flask import Flask, abort
        from flask.views import MethodView

        from .api import bp

        app = Flask(__name__)
        app.register_blueprint(bp, url_prefix="/api")
        NOTES = {1: "first"}


        @app.get("/notes/<int:note_id>")
        def get_note(note_id):
            if note_id not in NOTES:
                abort(404)
            return {"text": NOTES[note_id]}


        class NoteAPI(MethodView):
            def delete(self, note_id):
                try:
                    del NOTES[note_id]
                except KeyError:
                    return {"error": "missing"}, 404
                return "", 204


        app.add_url_rule("/notes/<int:note_id>", view_func=NoteAPI.as_view("note"))


        def get_notes():  # named like a view, never routed: not an endpoint
            return list(NOTES)
        """,
    "notes/api.py": """
        from flask import Blueprint

        bp = Blueprint("api", __name__)


        @bp.route("/health", methods=["GET", "HEAD"])
        def health():
            return {"ok": True}
        """,
    # A second app nobody tests: its route counts, and it was never called.
    "notes/admin.py": """
        from flask import Flask

        admin = Flask(__name__)


        @admin.route("/stats")
        def stats():
            return {}
        """,
    # An except in a test helper is not an error path of the source.
    "tests/helpers.py": """
        def safe(call):
            try:
                return call()
            except Exception:
                return None
        """,
    "tests/test_notes.py": """
        from notes.app import app


        def test_get_note():
            assert app.test_client().get("/notes/1").status_code == 200
        """,
}
FLASK_REST = """
    from notes.admin import admin
    from notes.app import app


    def test_everything_else():
        client = app.test_client()
        assert client.get("/notes/7").status_code == 404
        assert client.get("/api/health").status_code == 200
        assert client.delete("/notes/1").status_code == 204
        assert client.delete("/notes/1").status_code == 404
        assert admin.test_client().get("/stats").status_code == 200
    """


def test_flask_routes_and_error_paths_not_all_tested(pytester, project):
    project(AGENT, FLASK_APP, ini=INI)
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*api-tests: failed - 4 route(s) never called: 1 of 5 routes called by the tests",
        "*notes/admin.py:7 ROUTE GET /stats  (notes.admin.stats) never called",
        "*notes/api.py:7 ROUTE GET /api/health  (notes.api.health) never called",
        "*notes/api.py:7 ROUTE HEAD /api/health  (notes.api.health) never called",
        "*notes/app.py:19 ROUTE DELETE /notes/<int:note_id>  (notes.app.NoteAPI.delete) never*",
        "*error-path-tests: failed - 0% of error paths tested, required >= 50% (0 of 2 error *",
        "*notes/app.py:14 ERRPATH abort(404) never ran in a test",
        "*notes/app.py:22 ERRPATH except KeyError never ran in a test",
    ])  # fmt: skip
    result.stdout.no_fnmatch_line("*get_notes*")
    result.stdout.no_fnmatch_line("*helpers.py*")
    result.stdout.no_fnmatch_line("*GET /notes/<int:note_id>  *")


@pytest.mark.parametrize("args", [[], ["-n", "2"], ["--cov=notes", "--cov-report="]],
                         ids=["serial", "xdist", "pytest-cov"])  # fmt: skip
def test_flask_every_route_and_error_path_tested(pytester, project, args):
    project(AGENT, {**FLASK_APP, "tests/test_rest.py": FLASK_REST}, ini=INI)
    result = pytester.runpytest_subprocess("--agent-gates", "-v", *args)
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines([
        "*every route was called: 5 of 5 routes called by the tests*",
        "*100% of error paths tested (2 of 2 error paths executed by the tests)*",
    ])  # fmt: skip


def test_routes_and_error_paths_in_files_coverage_omits_are_never_counted_as_tested(
    pytester, project
):
    # notes/admin.py is not measured: its route is reported as unobservable, not as called.
    omit_admin = INI + '\n\n[tool.coverage.run]\nomit = ["notes/admin.py"]'
    project(AGENT, {**FLASK_APP, "tests/test_rest.py": FLASK_REST}, ini=omit_admin)
    some = pytester.runpytest_subprocess("--agent-gates", "-v")
    some.assert_outcomes(passed=4)
    some.stdout.fnmatch_lines([
        "*every route was called: 4 of 4 routes called by the tests; 1 could not be observed*",
    ])  # fmt: skip
    # Nothing holding a route or an error path is measured: no verdict, never a pass.
    omit_all = INI + '\n\n[tool.coverage.run]\nomit = ["notes/a*.py"]'
    util = {"notes/util.py": "def double(x):\n    return 2 * x\n",
            "tests/test_util.py": "from notes.util import double\n\n\ndef test_double():\n"
                                  "    assert double(2) == 4\n"}  # fmt: skip
    project(AGENT, {**FLASK_APP, **util, "tests/test_rest.py": FLASK_REST}, ini=omit_all)
    none = pytester.runpytest_subprocess("--agent-gates", "-rs")
    none.assert_outcomes(passed=3, skipped=1, errors=1)
    none.stdout.fnmatch_lines([
        "*api-tests could not run: none of the 5 routes found could be observed: its file is not "
        "measured by coverage (omitted in the coverage configuration?)",
        "SKIPPED * no error path lies in measured source",
    ])  # fmt: skip


def test_error_path_threshold_from_the_promise(pytester, project):
    rest = "\n".join(
        line
        for line in FLASK_REST.splitlines()
        if 'delete("/notes/1").status_code == 404' not in line
    )
    agent = "## Definition of Done\n- At least 50% of error paths tested\n- Error scenarios tested (60%+)\n"
    project(agent, {**FLASK_APP, "tests/test_rest.py": rest}, ini=INI)
    result = pytester.runpytest_subprocess("--agent-gates", "-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines([
        "*50% of error paths tested, required >= 60% (1 of 2 error paths executed by the tests)",
        "*notes/app.py:22 ERRPATH except KeyError never ran in a test",
        "*PASSED*At least 50% of error paths tested: 50% of error paths tested (1 of 2 *",
    ])  # fmt: skip


FASTAPI_APP = {
    "svc/__init__.py": "",
    "svc/main.py": """
        from fastapi import FastAPI

        from svc import users

        app = FastAPI()
        app.include_router(users.router, prefix="/v1")


        @app.get("/")
        async def root():
            return {"hello": "world"}
        """,
    "svc/users.py": """
        from fastapi import APIRouter, HTTPException

        router = APIRouter(prefix="/users")
        USERS = {1: "ann", 2: "bob"}


        @router.get("/{user_id}")
        def read_user(user_id: int):
            if user_id not in USERS:
                raise HTTPException(status_code=404, detail="no such user")
            return {"name": USERS[user_id]}


        @router.delete("/{user_id}")
        async def remove_user(user_id: int):
            USERS.pop(user_id, None)
        """,
    "tests/test_users.py": """
        from fastapi.testclient import TestClient

        from svc.main import app


        def test_read_user():
            assert TestClient(app).get("/v1/users/1").json() == {"name": "ann"}
        """,
}
FASTAPI_REST = """
    from fastapi.testclient import TestClient

    from svc.main import app


    def test_the_rest():
        client = TestClient(app)
        assert client.get("/").status_code == 200
        assert client.get("/v1/users/9").status_code == 404
        assert client.delete("/v1/users/2").status_code == 200
    """


def test_fastapi_untested_routes_and_http_errors(pytester, project):
    project(AGENT, FASTAPI_APP, ini=INI)
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*2 route(s) never called: 1 of 3 routes called by the tests",
        "*svc/main.py:10 ROUTE GET /  (svc.main.root) never called",
        "*svc/users.py:15 ROUTE DELETE /v1/users/{user_id}  (svc.users.remove_user) never called",
        "*svc/users.py:10 ERRPATH raise HTTPException(status_code=404, detail='no such user') *",
    ])  # fmt: skip


def test_fastapi_all_tested(pytester, project):
    project(AGENT, {**FASTAPI_APP, "tests/test_rest.py": FASTAPI_REST}, ini=INI)
    result = pytester.runpytest_subprocess("--agent-gates", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*every route was called: 3 of 3 routes called by the tests*"])


DJANGO_PROJECT = {
    "conftest.py": """
        import django
        from django.conf import settings

        settings.configure(
            ROOT_URLCONF="mysite.urls", ALLOWED_HOSTS=["testserver"], DATABASES={},
            INSTALLED_APPS=[], MIDDLEWARE=[], SECRET_KEY="only-for-tests",
        )
        django.setup()
        """,
    "mysite/__init__.py": "",
    "mysite/urls.py": """
        from django.urls import include, path

        urlpatterns = [path("api/", include("notes.urls"))]
        """,
    "notes/__init__.py": "",
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("notes/", views.note_list),
            path("notes/<int:pk>/", views.NoteDetail.as_view()),
        ]
        """,
    "notes/views.py": """
        from django.http import Http404, JsonResponse
        from django.views import View

        NOTES = {1: "first"}


        def note_list(request):
            return JsonResponse({"notes": list(NOTES)})


        class NoteDetail(View):
            def get(self, request, pk):
                if pk not in NOTES:
                    raise Http404("no such note")
                return JsonResponse({"text": NOTES[pk]})

            def delete(self, request, pk):
                NOTES.pop(pk, None)
                return JsonResponse({}, status=204)


        def note_detail(request, pk):  # looks like a view, never routed
            return JsonResponse({})
        """,
    "tests/test_notes.py": """
        from django.test import Client


        def test_list_and_detail():
            client = Client()
            assert client.get("/api/notes/").status_code == 200
            assert client.get("/api/notes/1/").status_code == 200
        """,
}


def test_django_class_based_view_method_never_called(pytester, project):
    project(AGENT, DJANGO_PROJECT, ini=INI)
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*1 route(s) never called: 2 of 3 routes called by the tests",
        "*notes/views.py:17 ROUTE DELETE api/notes/<int:pk>/  (notes.views.NoteDetail.delete) never*",
        "*notes/views.py:14 ERRPATH raise Http404('no such note') never ran in a test",
    ])  # fmt: skip
    result.stdout.no_fnmatch_line("*note_detail*")


def test_django_all_tested(pytester, project):
    rest = """
        from django.test import Client


        def test_rest():
            assert Client().get("/api/notes/5/").status_code == 404
            assert Client().delete("/api/notes/1/").status_code == 204
        """
    project(AGENT, {**DJANGO_PROJECT, "tests/test_rest.py": rest}, ini=INI)
    result = pytester.runpytest_subprocess("--agent-gates", "-v")
    result.assert_outcomes(passed=4)


def test_no_http_app_is_skipped(pytester, project):
    project(AGENT, {
        "lib.py": "def get(path):\n    try:\n        return open(path)\n    except OSError:\n        return None\n",
        "tests/test_lib.py": "from lib import get\n\n\ndef test_get():\n    assert get('/nonexistent') is None\n",
    }, ini=INI)  # fmt: skip
    result = pytester.runpytest_subprocess("--agent-gates", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED * no HTTP routes found"])


@pytest.mark.parametrize("pragma", ["  # pragma: no cover", ""])
def test_error_paths_excluded_from_coverage_are_not_counted(pytester, project, pragma):
    project("## Definition of Done\n- Failure paths tested\n", {
        "lib.py": f"def get(path):\n    try:\n        return open(path)\n    except OSError:{pragma}\n        return None\n",
        "tests/test_lib.py": "from lib import get\n\n\ndef test_get():\n    assert get(__file__)\n",
    }, ini=INI)  # fmt: skip
    result = pytester.runpytest_subprocess("--agent-gates", "-rs")
    if pragma:
        result.assert_outcomes(passed=1, skipped=1)
        result.stdout.fnmatch_lines(["SKIPPED * no error paths found*"])
    else:
        result.assert_outcomes(passed=1, failed=1)


def test_error_paths_found_in_the_source(tmp_path):
    code = textwrap.dedent("""
        import os
        from fastapi import status
        from django.http import HttpResponseNotFound, JsonResponse

        def view(request, pk):
            try:
                item = load(pk)
            except KeyError as error:
                raise HTTPException(status_code=404) from error
            if not item:
                return {"error": "gone"}, 410
            if pk < 0:
                return JsonResponse({}, status=400)
            if pk == 0:
                return HttpResponseNotFound()
            if pk == 1:
                return Response(status_code=status.HTTP_403_FORBIDDEN)
            if pk == 2:
                abort(500)
            if pk == 3:
                os.abort()
            if pk == 4:
                return {"ok": True}, 200
            raise ValueError("not an HTTP error")
    """).lstrip()
    file = SourceFile(tmp_path / "v.py", "v.py", "v", code, ast.parse(code))
    found = [(p.line, p.kind, p.text) for p in find_error_paths([file])]
    assert found == [
        (8, "except", "except KeyError"),
        (11, "http-error", "return ({'error': 'gone'}, 410)"),
        (13, "http-error", "return JsonResponse({}, status=400)"),
        (15, "http-error", "return HttpResponseNotFound()"),
        (17, "http-error", "return Response(status_code=status.HTTP_403_FORBIDDEN)"),
        (19, "http-error", "abort(500)"),
    ]
