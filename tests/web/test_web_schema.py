"""schemathesis against the app's own OpenAPI document: no server errors, no response that
its schema does not describe."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402


@pytest.fixture(scope="module")
def schema_app(archive_path: Path) -> Any:
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    app = create_app(Settings(archive=str(archive_path), rate=0))
    yield app
    app.state.site.close()


def test_web_openapi_holds(schema_app: Any) -> None:
    from schemathesis import checks as ck

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schema = schemathesis.openapi.from_asgi("/openapi.json", schema_app)
    failures: list[str] = []
    calls: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                response = case.call()
                calls.append(response.status_code)
                case.validate_response(
                    response,
                    checks=[
                        ck.not_a_server_error,
                        ck.status_code_conformance,
                        ck.content_type_conformance,
                        ck.response_schema_conformance,
                    ],
                )

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert not failures, "\n".join(failures)
    assert len(calls) >= 100, "schemathesis made too few calls to mean anything"
    assert 200 in calls and 400 in calls
