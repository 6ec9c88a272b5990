"""Static route discovery: Flask, FastAPI, Starlette and Django apps read, never imported."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from pytest_agentgates.project.routes import Route, find_routes
from pytest_agentgates.project.sources import SourceFile


def routes(tmp_path: Path, files: dict[str, str]) -> list[Route]:
    parsed = []
    for name, text in files.items():
        text = textwrap.dedent(text).lstrip()
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        parts = name[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        parsed.append(SourceFile(path, name, ".".join(parts), text, ast.parse(text)))
    return find_routes(parsed)


def shown(found: list[Route]) -> list[str]:
    return [f"{r.method} {r.path} {r.relative}:{r.line} {r.handler}" for r in found]


def test_flask_routes_methods_blueprints_and_add_url_rule(tmp_path):
    found = routes(tmp_path, {
        "notes/__init__.py": "",
        "notes/app.py": """
            from flask import Flask
            from flask.views import MethodView
            from .api import bp

            app = Flask(__name__)
            app.register_blueprint(bp, url_prefix="/api")

            @app.route("/")
            def index():
                '''Home.'''
                return "hi"

            @app.route("/notes", methods=["GET", "post"])
            def notes():
                if True:
                    return "x"
                return "y"

            class NoteAPI(MethodView):
                def get(self, note_id):
                    return "one"

                def delete(self, note_id):
                    return "", 204

                def helper(self):
                    return 1

            def ping():
                return "pong"

            app.add_url_rule("/notes/<int:note_id>", view_func=NoteAPI.as_view("note"))
            app.add_url_rule("/ping", "ping", ping)
        """,
        "notes/api.py": """
            from flask import Blueprint

            bp = Blueprint("api", __name__, url_prefix="/ignored")

            @bp.get("/items")
            def list_items():
                return []

            @bp.post("/items")
            def create_item():
                return {}, 201

            def get_item():  # named like a view, never routed
                return {}
        """,
    })  # fmt: skip
    assert shown(found) == [
        "GET /api/items notes/api.py:6 notes.api.list_items",
        "POST /api/items notes/api.py:10 notes.api.create_item",
        "GET / notes/app.py:9 notes.app.index",
        "GET /notes notes/app.py:14 notes.app.notes",
        "POST /notes notes/app.py:14 notes.app.notes",
        "GET /notes/<int:note_id> notes/app.py:20 notes.app.NoteAPI.get",
        "DELETE /notes/<int:note_id> notes/app.py:23 notes.app.NoteAPI.delete",
        "GET /ping notes/app.py:29 notes.app.ping",
    ]
    index = found[2]
    assert index.body == frozenset({11})  # the docstring never runs; the def line runs at import
    assert found[3].body == frozenset({15, 16, 17})


def test_flask_app_built_in_a_factory(tmp_path):
    found = routes(tmp_path, {
        "shop.py": """
            from flask import Flask

            def create_app():
                app = Flask(__name__)

                @app.route("/health")
                def health():
                    return "ok"

                return app
        """,
    })  # fmt: skip
    assert shown(found) == ["GET /health shop.py:7 shop.create_app.<locals>.health"]


def test_fastapi_routers_prefixes_and_add_api_route(tmp_path):
    found = routes(tmp_path, {
        "svc/__init__.py": "",
        "svc/main.py": """
            from fastapi import FastAPI
            from svc import users

            app = FastAPI()
            app.include_router(users.router, prefix="/v1")

            @app.get("/")
            async def root():
                return {}

            @app.api_route("/both", methods=["GET", "PUT"])
            def both():
                return {}

            def status():
                return {}

            app.add_api_route("/status", status)

            @app.websocket("/ws")
            async def socket(ws):
                await ws.accept()
        """,
        "svc/users.py": """
            from fastapi import APIRouter, HTTPException

            router = APIRouter(prefix="/users")

            @router.get("/{user_id}")
            def read_user(user_id: int):
                if user_id < 0:
                    raise HTTPException(status_code=404)
                return {}

            @router.delete("/{user_id}")
            def remove_user(user_id: int):
                return None
        """,
    })  # fmt: skip
    assert shown(found) == [
        "GET / svc/main.py:8 svc.main.root",
        "GET /both svc/main.py:12 svc.main.both",
        "PUT /both svc/main.py:12 svc.main.both",
        "GET /status svc/main.py:15 svc.main.status",
        "GET /v1/users/{user_id} svc/users.py:6 svc.users.read_user",
        "DELETE /v1/users/{user_id} svc/users.py:12 svc.users.remove_user",
    ]


def test_starlette_route_lists_and_mounts(tmp_path):
    found = routes(tmp_path, {
        "web.py": """
            from starlette.applications import Starlette
            from starlette.endpoints import HTTPEndpoint
            from starlette.routing import Mount, Route

            async def home(request):
                return None

            class Things(HTTPEndpoint):
                async def get(self, request):
                    return None

                async def post(self, request):
                    return None

            async def save(request):
                return None

            api = [Route("/things", Things), Route("/save", save, methods=["POST"])]
            routes = [Route("/", home), Mount("/api", routes=api)]
            app = Starlette(routes=routes)
        """,
    })  # fmt: skip
    assert shown(found) == [
        "GET / web.py:5 web.home",
        "GET /api/things web.py:9 web.Things.get",
        "POST /api/things web.py:12 web.Things.post",
        "POST /api/save web.py:15 web.save",
    ]


def test_django_urlpatterns_includes_and_class_based_views(tmp_path):
    found = routes(tmp_path, {
        "mysite/__init__.py": "",
        "mysite/urls.py": """
            from django.contrib import admin
            from django.urls import include, path

            urlpatterns = [
                path("admin/", admin.site.urls),
                path("api/", include("notes.urls")),
            ]
        """,
        "notes/__init__.py": "",
        "notes/urls.py": """
            from django.urls import path, re_path
            from django.views.decorators.csrf import csrf_exempt
            from . import views
            from .views import NoteDetail

            urlpatterns = [
                path("notes/", views.note_list, name="notes"),
                path("notes/<int:pk>/", NoteDetail.as_view()),
                re_path(r"^archive/$", csrf_exempt(views.archive)),
                path("generic/", views.NoteListView.as_view()),
            ]
        """,
        "notes/views.py": """
            from django.http import Http404, JsonResponse
            from django.views import View
            from django.views.decorators.http import require_http_methods
            from django.views.generic import ListView

            def note_list(request):
                return JsonResponse({})

            @require_http_methods(["GET", "POST"])
            def archive(request):
                return JsonResponse({})

            class Base(View):
                def delete(self, request, pk):
                    return JsonResponse({})

            class NoteDetail(Base):
                def get(self, request, pk):
                    raise Http404("no")

                def put(self, request, pk):
                    return JsonResponse({})

            class NoteListView(ListView):
                model = None

                def get_queryset(self):
                    return []

            def note_detail(request, pk):  # looks like a view, never routed
                return JsonResponse({})
        """,
    })  # fmt: skip
    assert shown(found) == [
        "ANY api/notes/ notes/views.py:6 notes.views.note_list",
        "GET api/^archive/$ notes/views.py:10 notes.views.archive",
        "POST api/^archive/$ notes/views.py:10 notes.views.archive",
        "DELETE api/notes/<int:pk>/ notes/views.py:14 notes.views.Base.delete",
        "GET api/notes/<int:pk>/ notes/views.py:18 notes.views.NoteDetail.get",
        "PUT api/notes/<int:pk>/ notes/views.py:21 notes.views.NoteDetail.put",
        "ANY api/generic/ notes/views.py:24 notes.views.NoteListView",
    ]
    assert found[-1].body == frozenset({28})  # get_queryset runs only when the view is called


def test_no_http_app_means_no_routes(tmp_path):
    found = routes(tmp_path, {
        "lib.py": """
            import functools

            cache = {}

            @functools.lru_cache
            def get(path):
                return cache.get("/x")

            class Client:
                def get(self, url):
                    return url
        """,
    })  # fmt: skip
    assert found == []


def test_views_found_through_reexports_submodules_and_viewsets(tmp_path):
    found = routes(tmp_path, {
        "api/__init__.py": "from .handlers import ping\n",
        "api/handlers.py": """
            def ping(request):
                return None

            class NoteViewSet:
                def list(self, request):
                    return []

                def create(self, request):
                    return {}
        """,
        "api/more/__init__.py": "",
        "api/more/views.py": """
            from django.views.generic import ListView

            class Plain(ListView):
                model = None

            def extra(request):
                return None
        """,
        "urls.py": """
            import api.more.views
            from django.urls import include, path
            from api import ping
            from api.handlers import NoteViewSet

            urlpatterns = [
                path("ping/", ping),
                path("more/", include([path("extra/", api.more.views.extra)])),
                path("plain/", api.more.views.Plain.as_view()),
                path("notes/", NoteViewSet.as_view({"get": "list", "post": "create"})),
            ]
        """,
    })  # fmt: skip
    assert shown(found) == [
        "ANY ping/ api/handlers.py:1 api.handlers.ping",
        "GET notes/ api/handlers.py:5 api.handlers.NoteViewSet.list",
        "POST notes/ api/handlers.py:8 api.handlers.NoteViewSet.create",
        "ANY plain/ api/more/views.py:3 api.more.views.Plain",
        "ANY more/extra/ api/more/views.py:6 api.more.views.extra",
    ]
    assert found[3].body == frozenset()  # no code of its own: nothing to observe


def test_unknown_receivers_need_a_url_shaped_path(tmp_path):
    found = routes(tmp_path, {
        "app.py": """
            import flask

            app = flask.Flask(__name__)
            METHODS = ["GET"]

            @registry.get("name")
            def not_a_route():
                return 1

            @somewhere.app.post("/upload")
            def upload():
                return 2

            @app.route("/dynamic", methods=METHODS)
            def dynamic():
                return 3
        """,
    })  # fmt: skip
    assert shown(found) == [
        "POST /upload app.py:11 app.upload",
        "ANY /dynamic app.py:15 app.dynamic",
    ]


# A URL tree the way large Django projects build it: include() of modules by name and by import,
# with namespaces, helper functions returning patterns, ``+=``, ``.append``, concatenation, re_path,
# routes from names and f-strings (a prefix that only settings change).
DJANGO_URL_TREE = {
    "mysite/__init__.py": "",
    "mysite/urls.py": """
        from django.conf import settings
        from django.urls import include, path, re_path

        from notes import urls as notes_urls

        from . import helpers, views

        prefix = ""
        if settings.DEBUG:
            prefix = f"{settings.SITE_ROOT}/"
        TAGS = "tags/"

        urlpatterns = [
            path(f"{prefix}notes/", include(notes_urls)),
            path(TAGS, include(("tags.urls", "tags"), namespace="tags")),
        ]
        urlpatterns += helpers.account_patterns()
        urlpatterns = urlpatterns + [re_path(r"^health/$", views.health)]
        """,
    "mysite/helpers.py": """
        from django.urls import path

        from . import views


        def account_patterns():
            return [path("login/", views.login), *more_patterns()]


        def more_patterns():
            patterns = [path("logout/", views.logout)]
            return patterns
        """,
    "mysite/views.py": """
        from django.http import JsonResponse


        def health(request):
            return JsonResponse({"ok": True})


        def login(request):
            return JsonResponse({})


        def logout(request):
            return JsonResponse({})
        """,
    "notes/__init__.py": "",
    "notes/urls.py": """
        from django.urls import include, path

        from . import views


        def detail_patterns():
            patterns = [path("<int:pk>/", views.detail)]
            patterns.append(path("<int:pk>/edit/", views.edit))
            return patterns


        extra = [path("archive/", views.archive)]
        urlpatterns = [path("", views.index)] + extra
        urlpatterns += [path("items/", include((detail_patterns(), "items"), namespace="items"))]
        """,
    "notes/views.py": """
        from django.http import JsonResponse


        def index(request):
            return JsonResponse({})


        def archive(request):
            return JsonResponse({})


        def detail(request, pk):
            return JsonResponse({"pk": pk})


        def edit(request, pk):
            return JsonResponse({"pk": pk})
        """,
    "tags/__init__.py": "",
    "tags/urls.py": """
        from django.urls import path

        from . import views

        app_name = "tags"
        urlpatterns = [path("", views.tag_list)]
        """,
    "tags/views.py": """
        from django.http import JsonResponse


        def tag_list(request):
            return JsonResponse({})
        """,
}


def test_django_include_trees_helpers_and_concatenation_yield_every_route(tmp_path):
    files = dict(DJANGO_URL_TREE)
    old = 'urlpatterns = [path("", views.tag_list)]'  # and url(), before Django 4
    files["tags/urls.py"] = files["tags/urls.py"].replace(
        old, f'{old}\n        urlpatterns.append(url(r"^old/$", views.tag_list))'
    )
    found = routes(tmp_path, files)
    assert shown(found) == [
        "ANY ^health/$ mysite/views.py:4 mysite.views.health",
        "ANY login/ mysite/views.py:8 mysite.views.login",
        "ANY logout/ mysite/views.py:12 mysite.views.logout",
        "ANY notes/ notes/views.py:4 notes.views.index",
        "ANY notes/archive/ notes/views.py:8 notes.views.archive",
        "ANY notes/items/<int:pk>/ notes/views.py:12 notes.views.detail",
        "ANY notes/items/<int:pk>/edit/ notes/views.py:16 notes.views.edit",
        "ANY tags/ tags/views.py:4 tags.views.tag_list",
        "ANY tags/^old/$ tags/views.py:4 tags.views.tag_list",
    ]


def test_every_route_of_a_django_include_tree_is_gated_on_real_django(pytester, project):
    agent = "## Definition of Done\n- Every endpoint tested\n"
    conftest = """
        import django
        from django.conf import settings

        settings.configure(
            ROOT_URLCONF="mysite.urls", ALLOWED_HOSTS=["testserver"], DATABASES={},
            INSTALLED_APPS=[], MIDDLEWARE=[], SECRET_KEY="only-for-tests",
        )
        django.setup()
        """
    tests = """
        from django.test import Client


        def test_routes():
            client = Client()
            for url in ("/health/", "/login/", "/logout/", "/notes/", "/notes/archive/",
                        "/notes/items/1/", "/tags/"):
                assert client.get(url).status_code == 200, url
        """
    files = {**DJANGO_URL_TREE, "conftest.py": conftest, "tests/test_routes.py": tests}
    project(agent, files, ini='pythonpath = ["."]')
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*1 route(s) never called: 7 of 8 routes called by the tests",
        "*notes/views.py:16 ROUTE ANY notes/items/<int:pk>/edit/  (notes.views.edit) never called",
    ])  # fmt: skip
