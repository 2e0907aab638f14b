"""The address voter links point at, and whether members' phones can reach it.

`BASE_URL` when set (e.g. https://pingyi.example.edu.cn behind a proxy); otherwise the address the
secretary's own browser used to reach the dashboard, which phones in the same room can usually
reach too. A loopback address (localhost, 127.x) is flagged: no phone can open it.
"""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from services.platform.config import get_settings


@dataclass(frozen=True)
class LinkAddress:
    url: str  # scheme://host[:port], no trailing slash
    configured: bool  # from BASE_URL or --base-url, rather than from the browser

    @property
    def loopback(self) -> bool:
        return is_loopback(self.url)

    @property
    def code_entry_url(self) -> str:
        return f"{self.url}/v"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def choose(browser_url: str | None) -> LinkAddress | None:
    """BASE_URL, else the origin of the browser's address; None when neither is known."""
    configured = get_settings().base_url
    if configured:
        return LinkAddress(configured, configured=True)
    if browser_url:
        parts = urlsplit(browser_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return LinkAddress(f"{parts.scheme}://{parts.netloc}", configured=False)
    return None


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
