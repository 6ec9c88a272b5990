"""config-externalized and openapi against real source, real documents and real FastAPI apps."""

from __future__ import annotations

CONFIG = "## Deployment\n- [ ] Environment-specific settings externalized\n"
OPENAPI = "## Implementation\n- [ ] OpenAPI/Swagger documentation\n"


def test_config_externalized_passes_environment_lookups_with_local_defaults(pytester, project):
    project(CONFIG, {
        "svc/__init__.py": "",
        "svc/config.py": '''
            """Settings. Example: DATABASE_URL=postgres://user@db.example.com/app"""
            import os

            from pydantic_settings import BaseSettings

            DEFAULT_API = "http://localhost:8000"
            API_URL = os.getenv("API_URL", DEFAULT_API)
            DATABASE_URL = os.environ.get("DATABASE_URL") or "sqlite:///:memory:"
            DEBUG = os.environ.get("DEBUG") == "1"
            PAYMENTS = "https://api.stripe.com/v1"


            class Settings(BaseSettings):
                redis_url: str = "redis://localhost:6379/0"
            ''',
        "svc/settings/__init__.py": "",
        "svc/settings/dev.py": 'DEBUG = True\nCACHE = "redis://127.0.0.1:6379/1"\n',
        "svc/web.py": '''
            from flask import Flask

            app = Flask(__name__)


            class DevelopmentConfig:
                DEBUG = True

            if __name__ == "__main__":
                app.run(host="127.0.0.1", debug=True)
            ''',
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*settings read from the environment or config at svc/config.py:*; no hard-coded DSN*"]
    )


def test_config_externalized_finds_dsns_local_urls_and_debug(pytester, project):
    project(CONFIG, {
        "svc/__init__.py": "",
        "svc/settings.py": '''
            import os

            SECRET_KEY = os.environ["SECRET_KEY"]
            DEBUG = True
            DATABASE_URL = "postgresql://app:hunter2@db.example.com:5432/app"
            ''',
        "svc/clients.py": '''
            import redis
            import requests


            def orders():
                return requests.get("http://localhost:8001/orders")


            def inventory():
                return requests.get("http://inventory.svc.cluster.local/items")


            def cache():
                return redis.Redis(host="cache.internal", port=6379)
            ''',
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*config-externalized: failed - 5 hard-coded setting(s) in the source",
            "*svc/clients.py:6 CFG003 hard-coded URL of a local host: http://localhost:8001/orders",
            "*svc/clients.py:10 CFG003 hard-coded URL of an internal host: "
            "http://inventory.svc.cluster.local/items",
            "*svc/clients.py:14 CFG003 hard-coded host 'cache.internal' passed to Redis()",
            "*svc/settings.py:4 CFG002 DEBUG = True hard-coded*",
            "*svc/settings.py:5 CFG001 hard-coded postgresql URL with host db.example.com: "
            "postgresql://app:****@db.example.com:5432/app",
        ]
    )
    result.stdout.no_fnmatch_line("*hunter2*")


def test_config_externalized_fails_for_a_module_it_cannot_read(pytester, project):
    project(CONFIG, {"svc/__init__.py": "", "svc/settings.py": "import os\nAPI = os.getenv('API')\n",
                     "svc/broken.py": "DATABASE_URL = (\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*config-externalized: failed - 1 module(s) cannot be checked",
            "*svc/broken.py:1 PARSE cannot be checked: line 1:*",
        ]
    )


def test_config_externalized_skipped_when_there_are_no_settings(pytester, project):
    project(CONFIG, {"calc.py": "def add(a, b):\n    return a + b\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no settings found*"])


VALID_DOCUMENT = """
openapi: 3.0.3
info:
  title: Notes
  version: "1.0"
paths:
  /notes/{note_id}:
    parameters:
      - $ref: "#/components/parameters/NoteId"
    get:
      operationId: getNote
      responses:
        "200":
          description: the note
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "404": {$ref: "#/components/responses/NotFound"}
    delete:
      operationId: deleteNote
      responses:
        204: {description: deleted}
  /notes:
    get:
      responses:
        default: {description: notes}
components:
  parameters:
    NoteId: {name: note_id, in: path, required: true, schema: {type: integer}}
  schemas:
    Note: {type: object, properties: {title: {type: string}}}
  responses:
    NotFound: {description: no such note}
"""


def test_openapi_document_in_the_repository_is_valid(pytester, project):
    project(OPENAPI, {"docs/openapi.yaml": VALID_DOCUMENT, "docs/mkdocs.yml": "site_name: x\n"})
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*valid OpenAPI: docs/openapi.yaml (OpenAPI 3.0.3, 2 path(s), 3 operation(s))"]
    )


def test_openapi_document_problems_are_named_with_their_lines(pytester, project):
    project(OPENAPI, {"api/openapi.yaml": """
        openapi: 3.0
        info:
          title: Notes
        paths:
          /notes/{note_id}:
            get:
              operationId: getNote
              responses:
                "200":
                  content: {}
            put:
              operationId: getNote
          notes:
            post:
              responses:
                "201":
                  description: created
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Missing"}
        """})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*openapi: failed - 9 problem(s) in the OpenAPI documentation",
            '*api/openapi.yaml:1 OAS001 openapi must be a version string such as "3.1.0", not 3.0',
            "*api/openapi.yaml:3 OAS001 info.version: missing",
            "*api/openapi.yaml:6 OAS001 GET /notes/{note_id}: path parameter {note_id} is not declared",
            "*api/openapi.yaml:9 OAS001 GET /notes/{note_id}: response 200 has no description",
            "*api/openapi.yaml:11 OAS001 PUT /notes/{note_id}: no responses",
            "*api/openapi.yaml:11 OAS001 PUT /notes/{note_id}: path parameter {note_id} is not declared",
            "*api/openapi.yaml:12 OAS001 PUT /notes/{note_id}: operationId 'getNote' already used by "
            "GET /notes/{note_id}",
            "*api/openapi.yaml:13 OAS001 path 'notes' must start with /",
            "*api/openapi.yaml:20 OAS001 $ref #/components/schemas/Missing points at nothing*",
        ]
    )


def test_openapi_unreadable_document_is_a_finding(pytester, project):
    project(OPENAPI, {"openapi.yaml": "openapi: 3.1.0\ninfo: {title: x\npaths: {}\n"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*openapi.yaml:3 OAS002 not valid YAML*"])


def test_openapi_swagger_json_with_tabs_is_read(pytester, project):
    document = (
        '{\n\t"swagger": "2.0",\n\t"info": {"title": "x", "version": "1"},\n'
        '\t"paths": {"/ping": {"get": {"responses": {"200": {"description": "pong"}}}}}\n}\n'
    )
    project(OPENAPI, {"swagger.json": document, "package.json": '{"name": "x"}\n'})
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*valid OpenAPI: swagger.json (Swagger 2.0, 1 path(s), 1 operation(s))"]
    )


FASTAPI_APP = """
from fastapi import FastAPI
from pydantic import BaseModel

print("a module that prints when imported")
app = FastAPI(title="Notes")


class Note(BaseModel):
    title: str


@app.get("/notes/{note_id}")
def get_note(note_id: int) -> Note:
    return Note(title="x")
"""


COUNTS_IMPORTS = """
import pathlib

with pathlib.Path(__file__).with_name("imported.txt").open("a") as imported:
    imported.write("x")
"""


def test_openapi_generated_by_a_fastapi_app_in_a_child_process(pytester, project):
    project(OPENAPI + "- [ ] Swagger UI served at /docs\n",
            {"api/__init__.py": "", "api/main.py": COUNTS_IMPORTS + FASTAPI_APP})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*valid OpenAPI: api.main:app generates OpenAPI 3.1.0, 1 path(s), 1 operation(s)"] * 2
    )
    result.stdout.no_fnmatch_line("*a module that prints*")
    # Imported in one child process for the whole session, however many items ask for it.
    assert (pytester.path / "api" / "imported.txt").read_text() == "x"


def test_openapi_override_that_returns_no_document_is_a_finding(pytester, project):
    project(OPENAPI, {"main.py": """
        from fastapi import FastAPI

        app = FastAPI()


        def custom_openapi():
            app.openapi_schema = {"openapi": "3.1.0"}  # forgot to return it


        app.openapi = custom_openapi
        """})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*main.py:3 OAS003 main:app: openapi() returned NoneType, not a document"]
    )


def test_openapi_generation_errors_and_duplicate_operation_ids_fail(pytester, project):
    project(OPENAPI, {"src/shop/__init__.py": "", "src/shop/api.py": '''
        from fastapi import FastAPI
        from pydantic import BaseModel, ConfigDict


        class Money:
            pass


        class Price(BaseModel):
            model_config = ConfigDict(arbitrary_types_allowed=True)
            amount: Money


        def create_app() -> FastAPI:
            app = FastAPI()

            @app.post("/prices")
            def add(price: Price) -> dict:
                return {}

            return app


        other = FastAPI()


        @other.get("/a", operation_id="same")
        def a() -> dict:
            return {}


        @other.get("/b", operation_id="same")
        def b() -> dict:
            return {}
        '''})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*src/shop/api.py:14 OAS003 generating the OpenAPI document of shop.api:create_app() "
            "failed: PydanticInvalidForJsonSchema: Cannot generate a JsonSchema*",
            "*src/shop/api.py:24 OAS001 shop.api:other: GET /b: operationId 'same' already used by "
            "GET /a",
        ]
    )


def test_openapi_import_failure_is_an_error_not_a_verdict(pytester, project):
    project(OPENAPI, {"main.py": "import os\n\nfrom fastapi import FastAPI\n\nos.environ['NOT_SET']\n"
                                 "app = FastAPI()\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*openapi could not run: importing main failed: KeyError: 'NOT_SET' (at main.py:5)"]
    )


def test_openapi_fails_for_routes_without_documentation_and_skips_without_an_api(pytester, project):
    project(OPENAPI, {"web.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
                                "@app.get('/notes')\ndef notes():\n    return []\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*no OpenAPI document in the repository and no FastAPI app to generate one, for 1 HTTP "
         "route(s) (first: GET /notes at web.py:7)"]
    )  # fmt: skip
    (pytester.path / "web.py").write_text("def add(a, b):\n    return a + b\n")
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no HTTP API here*"])
