"""HTTP helpers every domain shares: one rule for a header given once, one bearer-token
parser, the error body and its OpenAPI responses, decode-or-422, the app's cookies and
redirects, and the plugin API's CORS."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

import msgspec
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.enums import HttpMethod
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.params import HeaderParameter

from bff.core.deps import Connection, provide, provide_settings
from bff.core.errors import (
    CODES,
    PROBLEM_JSON,
    PROBLEM_TYPE,
    STATUSES,
    InvalidInput,
    PreconditionRequired,
    Unauthenticated,
    Unprocessable,
)
from bff.core.security import origin_of
from bff.core.settings import Settings
from bff.core.text import field_problem

T = TypeVar("T")
# Pages and files: HEAD answers like GET without a body (uvicorn drops it).
GET_HEAD: list[HttpMethod] = [HttpMethod.GET, HttpMethod.HEAD]
# The codes a domain error's problem details carry (bff.core.errors.STATUSES), for ErrorBody.
_DOMAIN_CODES = ", ".join(CODES[status] for status in STATUSES)


class ErrorBody(msgspec.Struct):
    """An error answer of the API: RFC 9457 problem details (application/problem+json), as
    bff.core.errors.problem_body writes it: its URN prefix and codes are documented from there."""

    type: Annotated[
        str,
        msgspec.Meta(
            description=f"The kind of problem: `{PROBLEM_TYPE}<code>` (stable)",
            examples=[PROBLEM_TYPE + CODES[404]],
        ),
    ]
    title: Annotated[str, msgspec.Meta(description="The HTTP status's phrase (English)")]
    status: Annotated[int, msgspec.Meta(description="The HTTP status code")]
    detail: Annotated[str, msgspec.Meta(description="What was wrong, for a developer to act on")]
    code: Annotated[
        str | None,
        msgspec.Meta(description="Stable and English, to branch on: " + _DOMAIN_CODES),
    ] = None


def error_response(description: str) -> ResponseSpec:
    """An OpenAPI error answer: problem details, and when it is given."""
    return ResponseSpec(data_container=ErrorBody, description=description, media_type=PROBLEM_JSON)


def error_responses(texts: dict[int, str], *codes: int) -> dict[int, ResponseSpec]:
    """The OpenAPI error answers of an operation, each described by `texts`."""
    return {c: error_response(texts[c]) for c in codes}


def single_header(connection: Connection, name: str) -> str:
    """The header's value ("" without it); given more than once it is refused (401)."""
    values = connection.headers.getall(name.lower(), [])
    if len(values) > 1:
        raise Unauthenticated(f"Header {name} given more than once")
    return values[0] if values else ""


def bearer_token(connection: Connection, what: str = "access token") -> str | None:
    """The bearer token; None without the header. A header that is there but no usable
    bearer token is refused, not skipped: a bad credential never falls back to another."""
    value = single_header(connection, "Authorization")
    if not value and "authorization" not in connection.headers:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(f"Authorization must be 'Bearer <{what}>'")
    return token.strip()


def required_bearer(connection: Connection, what: str) -> str:
    """The bearer token, which this route cannot do without."""
    token = bearer_token(connection, what)
    if token is None:
        raise Unauthenticated(f"Authorization: Bearer <{what}> is required")
    return token


def decode(raw: bytes, kind: type[T]) -> T:
    """422 naming the field for a body of the wrong shape (400 when it is not JSON)."""
    try:
        return msgspec.json.decode(raw, type=kind)
    except msgspec.ValidationError as exc:
        field, message = field_problem(exc)
        raise Unprocessable(f"{field or 'body'}: {message}") from exc
    except msgspec.DecodeError as exc:
        raise InvalidInput("body: not valid JSON") from exc


# The ETags this API sends ('"3"'): what the schema says If-Match holds. Published only, as
# SAFE_TEXT is: another value is 412 (no version of ours), "*" 428 (it names none).
ENTITY_TAG = r'^(W/)?"?[0-9]{1,11}"?$'
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=True,  # published so; absent (None), it is 428, not Litestar's 400
        schema_extra={"type": OpenAPIType.STRING, "oneOf": None, "pattern": ENTITY_TAG},
        description='The ETag of the version you read, e.g. "3": 428 without it, 412 when '
        "another change came first",
    ),
]


def provide_expected_version(if_match: IfMatch = None) -> int:
    """The version an If-Match names (-1: none this API writes); 428 without one."""
    raw = (if_match or "").strip()
    if not raw or raw == "*":
        raise PreconditionRequired(
            'If-Match is required: send the ETag of the version you read (e.g. If-Match: "3")'
        )
    value = raw.removeprefix("W/").strip('"')
    return int(value) if value.isdigit() and len(value) < 12 else -1


# A write that names the version it changes: `expected_version: Injected[int]`.
EXPECTED_VERSION = {"expected_version": provide(provide_expected_version)}


def with_etag(body: T, version: int, status: int = 200) -> Response[T]:
    """An answer naming the version it shows: its ETag is what If-Match sends back."""
    return Response(body, status_code=status, headers={"ETag": f'"{version}"'})


def http_only_cookie(
    settings: Settings,
    key: str,
    value: str,
    max_age: int | None,
    samesite: Literal["lax", "strict"] = "lax",
    path: str = "/",
) -> Cookie:
    """A cookie no script reads, Secure wherever the app is served over HTTPS. `max_age`
    None: it lasts the browser session; 0: the browser drops it."""
    return Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite=samesite,
        secure=settings.serving.secure_cookies,
    )


def cookie_security_scheme(cookie_name: str, description: str) -> SecurityScheme:
    """A session cookie as an OpenAPI security scheme (named as this installation names it)."""
    return SecurityScheme(
        type="apiKey", name=cookie_name, security_scheme_in="cookie", description=description
    )


def see_other(location: str, cookies: list[Cookie]) -> Response[None]:
    """A 303 to `location` setting `cookies`; never cached, and the URL it answers (which may
    hold a single-use token) is not sent on as a referrer."""
    return Response(
        None,
        status_code=303,
        headers={
            "Location": location,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
        cookies=cookies,
    )


def file_body(media_type: str, description: str, form_field: str | None = None) -> RequestBody:
    """An upload's body in the OpenAPI document, for a handler that reads it itself: the file
    as the whole body, or (`form_field`) as that field of a multipart form."""
    schema = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, description=description)
    if form_field is not None:
        schema = Schema(
            type=OpenAPIType.OBJECT, required=[form_field], properties={form_field: schema}
        )
    return RequestBody(required=True, content={media_type: OpenAPIMediaType(schema=schema)})


# -- the plugin API's CORS -------------------------------------------------------------------


def separate_origin(settings: Settings) -> bool:
    return settings.plugins.origin is not None and settings.plugins.origin != origin_of(
        settings.serving.public_url
    )


def files_origin(settings: Settings) -> str:
    """Where plugin files come from: the plugin origin, or the app's own."""
    own = settings.plugins.origin
    return (
        own
        if own is not None and separate_origin(settings)
        else origin_of(settings.serving.public_url)
    )


def cors_origin(request: Request[Any, Any, Any]) -> str | None:
    """The request's Origin when the plugin API answers it: the plugin origin, or `null`
    (a plugin sandboxed without allow-same-origin has an opaque origin)."""
    origin = request.headers.get("origin")
    if origin is None:
        return None
    allowed = {files_origin(provide_settings(request)), "null"}
    return origin if origin.lower() in allowed else None


def cors_headers(request: Request[Any, Any, Any]) -> dict[str, str]:
    origin = cors_origin(request)
    headers = {"Vary": "Origin"}
    if origin is not None:
        headers["Access-Control-Allow-Origin"] = origin
    return headers


def cors_preflight(request: Request[Any, Any, Any], methods: str) -> Response[None]:
    """The answer to a plugin's preflight: the plugin origin may send `methods` with a bearer
    token and a JSON body."""
    headers = cors_headers(request)
    if "Access-Control-Allow-Origin" in headers:
        headers |= {
            "Access-Control-Allow-Methods": methods,
            "Access-Control-Allow-Headers": "authorization, content-type",
            "Access-Control-Max-Age": "600",
        }
    return Response(None, status_code=204, headers=headers)
