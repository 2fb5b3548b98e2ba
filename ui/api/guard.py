"""What a browser may do with this server, on by default: which Host names it answers, which
origins may write or read across sites, and the headers that keep its pages out of other sites' frames.

- **Host allow-list** (DNS rebinding): a page on ``evil.example`` whose name is re-pointed at
  127.0.0.1 reaches the server with ``Host: evil.example``; only the loopback names, the bound
  host and ``RAG_ALLOWED_HOSTS`` are answered (400 otherwise). An IP literal cannot be re-pointed,
  so a server bound to every interface (0.0.0.0, ::) also answers its addresses.
- **Cross-site writes** (CSRF): POST/PUT/PATCH/DELETE whose ``Origin`` is another origin, or
  whose ``Sec-Fetch-Site`` says another site, are refused with 403 unless the origin is listed
  in ``RAG_CORS_ORIGINS``. Clients that are not browsers send neither header and pass.
- **CORS**: preflights are answered here, and every response's ``Access-Control-*`` headers are
  replaced by ours, so Gradio's own CORS middleware (which grants any origin credentials when the
  Host is not a loopback name) never speaks. Listed origins get read access, never credentials.
- **Cookies and frames**: Gradio's login cookies become ``SameSite=Lax`` (``Secure`` behind
  HTTPS), and every response forbids framing (clickjacking the delete confirmation).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.settings import Settings
from ui.api.errors import error_response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
ANY_HOST = "*"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, DELETE",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-ID",
    "Access-Control-Max-Age": "600",
}
FRAME_POLICY = "frame-ancestors 'none'"
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": FRAME_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True)
class WebPolicy:
    """The Host names answered and the foreign origins trusted, decided once from the settings."""

    hosts: frozenset[str]
    any_ip: bool
    origins: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> WebPolicy:
        """Loopback names, the bound host and RAG_ALLOWED_HOSTS; RAG_CORS_ORIGINS as trusted origins."""
        bound = host_name(settings.host)
        names = {*LOOPBACK_NAMES, *(host_name(h) for h in settings.allowed_hosts)}
        if bound not in WILDCARD_HOSTS:
            names.add(bound)
        origins = frozenset(o.rstrip("/").lower() for o in settings.cors_origins)
        return cls(frozenset(names), any_ip=bound in WILDCARD_HOSTS, origins=origins)

    def allows_host(self, host_header: str) -> bool:
        """Whether a request naming ``host_header`` (``name[:port]``) is meant for this server."""
        name = host_name(host_header)
        if not name:
            return False
        if ANY_HOST in self.hosts or name in self.hosts:
            return True
        return self.any_ip and _is_ip(name)

    def trusts(self, origin: str) -> bool:
        """Whether ``origin`` is listed in RAG_CORS_ORIGINS."""
        return origin.rstrip("/").lower() in self.origins

    def refuses_write(self, headers: Headers) -> bool:
        """A state-changing request a browser sent for another site (and not a trusted origin)."""
        origin = headers.get("origin")
        if origin is not None:
            return not (same_origin(origin, headers.get("host", "")) or self.trusts(origin))
        return headers.get("sec-fetch-site", "") in ("cross-site", "same-site")


def host_name(host: str) -> str:
    """The lower-case name of a Host header or address, without port, brackets or trailing dot."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def same_origin(origin: str, host_header: str) -> bool:
    """Whether ``origin`` names this server as the request reached it (scheme aside: one port, one scheme)."""
    try:
        parts = urlsplit(origin)
        origin_port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
        host = urlsplit("//" + host_header)
        host_port = host.port
    except ValueError:  # a malformed port
        return False
    if not parts.hostname or parts.hostname.rstrip(".") != host_name(host_header):
        return False
    # Without a port in Host the client used the scheme's default, which the origin must also use.
    return origin_port == host_port if host_port is not None else parts.port is None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class WebGuardMiddleware:
    """Applies a WebPolicy to every request and response (HTTP and WebSocket)."""

    def __init__(self, app: ASGIApp, policy: WebPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        secure = scope.get("scheme") in ("https", "wss")

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._guard_response(MutableHeaders(scope=message), origin, secure)
            await send(message)

        refusal = self._refusal(scope, headers)
        if refusal is not None and scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        elif refusal is not None:
            await error_response(*refusal)(scope, receive, send_guarded)
        elif origin is not None and _is_preflight(scope, headers):
            await self._preflight(origin, secure)(scope, receive, send)
        else:
            await self.app(scope, receive, send_guarded)

    def _refusal(self, scope: Scope, headers: Headers) -> tuple[int, str, str] | None:
        host = headers.get("host", "")
        if not self.policy.allows_host(host):
            shown = host.encode("unicode_escape").decode("ascii")[:100]
            return 400, "host_not_allowed", (
                f"This server does not answer for host {shown!r}: open it by a name it serves "
                "(localhost, 127.0.0.1), or add the name to RAG_ALLOWED_HOSTS (behind a reverse "
                "proxy: the public host name the proxy passes on)."
            )  # fmt: skip
        writes = scope["type"] == "websocket" or scope["method"] in UNSAFE_METHODS
        if writes and self.policy.refuses_write(headers):
            origin = headers.get("origin") or "another site"
            shown = origin.encode("unicode_escape").decode("ascii")[:100]
            return 403, "cross_site_refused", (
                f"Refused a {scope.get('method', 'WebSocket')} request from {shown}: pages on other "
                "sites may not change this server. List the origin in RAG_CORS_ORIGINS to allow it."
            )  # fmt: skip
        return None

    def _preflight(self, origin: str, secure: bool) -> Response:
        """The answer to a CORS preflight, given here so no inner middleware (Gradio's) gives one."""
        if not self.policy.trusts(origin):
            message = (
                "This origin may not call the API from a browser: list it in RAG_CORS_ORIGINS to allow it."
            )
            response: Response = error_response(403, "cors_refused", message)
        else:
            response = Response(status_code=204)
        self._guard_response(response.headers, origin, secure)
        if self.policy.trusts(origin):
            response.headers.update(PREFLIGHT_HEADERS)
        return response

    def _guard_response(self, headers: MutableHeaders, origin: str | None, secure: bool) -> None:
        for name in {key for key in headers if key.startswith("access-control-")}:
            del headers[name]  # whatever an inner middleware granted: the policy decides below
        if origin is not None and self.policy.trusts(origin):
            headers["Access-Control-Allow-Origin"] = origin
            headers["Access-Control-Expose-Headers"] = "X-Request-ID"
        if origin is not None:
            headers.add_vary_header("Origin")
        for name, value in PAGE_HEADERS.items():
            headers.setdefault(name, value)
        policy = headers["content-security-policy"]
        if "frame-ancestors" not in policy:  # a page that set its own policy
            headers["content-security-policy"] = f"{policy}; {FRAME_POLICY}"
        cookies = headers.getlist("set-cookie")
        if cookies:
            del headers["set-cookie"]
            for cookie in cookies:
                headers.append("set-cookie", same_site_cookie(cookie, secure))


def _is_preflight(scope: Scope, headers: Headers) -> bool:
    return scope["method"] == "OPTIONS" and "access-control-request-method" in headers


def same_site_cookie(cookie: str, secure: bool) -> str:
    """A Set-Cookie value with ``SameSite=Lax``, and ``Secure`` exactly when the request came over HTTPS."""
    parts = [part.strip() for part in cookie.split(";")]
    kept = [p for p in parts[1:] if p and p.split("=", 1)[0].strip().lower() not in ("samesite", "secure")]
    return "; ".join([parts[0], *kept, "SameSite=Lax", *(["Secure"] if secure else [])])
