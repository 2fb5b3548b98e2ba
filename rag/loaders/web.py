"""Fetching a URL safely: http(s) only, no private or metadata addresses, size and time capped.

Every hop of a redirect chain is checked again, and the connection goes to the exact address
that was checked (the Host header and TLS SNI keep the name), so DNS cannot swap it in between.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from rag.errors import FetchError
from rag.settings import Settings

Resolver = Callable[[str, int], list[str]]
"""Turns a host name and port into IP address strings (``socket.getaddrinfo`` in production)."""
AddressPolicy = Callable[[str], str]
"""Why connecting to an IP address is refused, or "" to allow it (``address_problem`` in production)."""

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_ALLOW_HINT = "set RAG_ALLOW_PRIVATE_URLS=true to allow"
_USER_AGENT = "article-rag/0.1"
_ACCEPT = "text/html,application/xhtml+xml,text/plain,application/pdf;q=0.9,*/*;q=0.5"


@dataclass(frozen=True)
class Fetched:
    """A downloaded response body and what it claims to be."""

    url: str
    content_type: str
    charset: str
    body: bytes


@dataclass(frozen=True)
class Hop:
    """One checked request target: the URL as written and the addresses it may connect to, in order."""

    url: httpx.URL
    addresses: tuple[str, ...]


def address_problem(address: str) -> str:
    """Why connecting to ``address`` is refused ("loopback", "private", ...), or "" when it is public."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour):
        # ::ffff:a.b.c.d and 6to4's 2002:AABB:CCDD:: carry an IPv4 address: judge that one.
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    checks = (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip in _METADATA, "a cloud metadata endpoint"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (not ip.is_global, "not publicly routable"),
    )
    return next((reason for failed, reason in checks if failed), "")


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, so each can be checked before connecting."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"Could not resolve host {host!r}: {err}") from err
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(
    url: str, allow_private: bool, resolve: Resolver = resolve_host, policy: AddressPolicy = address_problem
) -> Hop:
    """Validate one request target; raises FetchError naming the scheme or address that is refused."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as err:
        raise FetchError(f"Not a valid URL: {url!r} ({err})") from err
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"Refused to fetch {url}: only http and https URLs are allowed")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise FetchError(f"Not a valid URL: {url!r} has no host")
    addresses = resolve(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    if not addresses:
        raise FetchError(f"Could not resolve host {host!r}: no addresses")
    for address in addresses if not allow_private else ():
        problem = policy(address)
        if problem:
            raise FetchError(f"Refused to fetch {url}: address {address} is {problem} ({_ALLOW_HINT})")
    return Hop(url=parsed, addresses=tuple(addresses))


def fetch_url(
    url: str, settings: Settings, resolve: Resolver = resolve_host, policy: AddressPolicy = address_problem
) -> Fetched:
    """Download ``url`` following at most five redirects, each re-checked; raises FetchError."""
    deadline = time.monotonic() + settings.fetch_timeout
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        hop = check_url(current, settings.allow_private_urls, resolve, policy)
        response = _get(hop, settings, deadline)
        if isinstance(response, Fetched):
            return response
        current = _redirect_target(hop.url, response)
    raise FetchError(f"Could not fetch {url}: more than {MAX_REDIRECTS} redirects")


def _get(hop: Hop, settings: Settings, deadline: float) -> Fetched | str:
    """Request from the first checked address that answers: the body, or a redirect's Location."""
    shown = str(hop.url)
    try:
        for address in hop.addresses[:-1]:
            try:
                return _get_from(hop, address, settings, deadline)
            except httpx.ConnectError:
                continue  # like a browser, try the host's next address (say IPv4 after unreachable IPv6)
        return _get_from(hop, hop.addresses[-1], settings, deadline)
    except httpx.TimeoutException as err:
        raise FetchError(f"Timed out fetching {shown} after {settings.fetch_timeout:g}s") from err
    except (httpx.HTTPError, httpx.InvalidURL) as err:
        raise FetchError(f"Could not fetch {shown}: {err or type(err).__name__}") from err


def _get_from(hop: Hop, address: str, settings: Settings, deadline: float) -> Fetched | str:
    # A fresh client per request: a pooled TLS connection must never serve another host name.
    with (
        httpx.Client(timeout=settings.fetch_timeout, trust_env=False, follow_redirects=False) as client,
        client.stream(
            "GET", hop.url.copy_with(host=address), headers=_headers(hop), extensions=_sni(hop)
        ) as response,
    ):
        return _read(response, str(hop.url), settings.max_fetch_bytes, deadline)


def _read(response: httpx.Response, url: str, limit: int, deadline: float) -> Fetched | str:
    if response.status_code in _REDIRECTS and response.headers.get("location"):
        return response.headers["location"]
    if not 200 <= response.status_code < 300:
        raise FetchError(f"Could not fetch {url}: the server answered HTTP {response.status_code}")
    _check_size(_declared_length(response), url, limit)
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        _check_size(received, url, limit)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("download took too long")
        chunks.append(chunk)
    media_type, _, params = response.headers.get("content-type", "").partition(";")
    kind = media_type.strip().lower()
    return Fetched(url=url, content_type=kind, charset=_charset(params), body=b"".join(chunks))


def _redirect_target(url: httpx.URL, location: str) -> str:
    try:
        return str(url.join(location))
    except httpx.InvalidURL as err:
        raise FetchError(f"Could not fetch {url}: it redirects to an invalid URL {location!r}") from err


def _declared_length(response: httpx.Response) -> int:
    """The Content-Length a server announced, so an oversize body is refused before it is read."""
    try:
        return int(response.headers.get("content-length") or 0)
    except ValueError:
        return 0


def _check_size(size: int, url: str, limit: int) -> None:
    if size > limit:
        raise FetchError(f"Refused {url}: it is larger than the {limit:,}-byte limit (RAG_MAX_FETCH_BYTES)")


def _charset(params: str) -> str:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'").lower()
    return ""


def _headers(hop: Hop) -> dict[str, str]:
    return {"Host": hop.url.netloc.decode("ascii"), "User-Agent": _USER_AGENT, "Accept": _ACCEPT}


def _sni(hop: Hop) -> dict[str, str]:
    return {"sni_hostname": hop.url.raw_host.decode("ascii")} if hop.url.scheme == "https" else {}
