"""The enrolment link HQ shows as a QR code: the server's address and a one-time code in one
string, so a device enrols by scanning (or pasting) it instead of typing both."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

SCHEME = "inspectapp"


def enrolment_link(server_url: str, code: str) -> str:
    return f"{SCHEME}://enroll?{urlencode({'server': server_url.rstrip('/'), 'code': code})}"


def parse_enrolment_link(text: str) -> tuple[str, str] | None:
    """(server URL, code) from an enrolment link; None for anything else, e.g. a plain URL."""
    parts = urlsplit(text.strip())
    if parts.scheme != SCHEME or parts.netloc != "enroll":
        return None
    query = parse_qs(parts.query)
    server, code = query.get("server", [""])[0], query.get("code", [""])[0]
    return (server, code) if server and code else None


#: Why HQ refused a device token (the ``reason`` of its 401 answer). A device HQ does not know
#: (HQ was restored from a backup older than its enrolment) may enrol again and carry its
#: waiting work over; a revoked one may not (docs/sync-protocol.md, "Enrolling again").
UNKNOWN_DEVICE = "unknown_device"
REVOKED_DEVICE = "revoked_device"
