"""OAI-PMH resumption tokens: the rest of a list request, signed, with no state on the server.

A token carries the original request (verb, metadataPrefix, from, until, set), the position
after the last item sent as the pair (datestamp with microseconds, document id) that lists are
ordered by, the number of items sent so far, and when it was issued. Because the position is a
key, not an offset, a record that changes between two pages moves to the end of the list (its
datestamp grows) without shifting any other record, so no record is skipped. The token is
base64url JSON plus an HMAC, so a garbled or forged token is recognised (badResumptionToken)
rather than trusted. No Django here: the key and the clock are arguments.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass

VERSION = 1


class BadToken(ValueError):
    """A token that is garbled, forged, expired or from another verb."""


@dataclass(frozen=True)
class ListState:
    """Everything needed to continue a ListIdentifiers/ListRecords request."""

    verb: str
    prefix: str
    since: str | None  # the request's `from`, as given
    until: str | None
    set_spec: str | None
    after_stamp: str  # ISO datetime (microseconds) of the last item sent
    after_id: str
    sent: int  # items sent before the next page (the resumptionToken's `cursor`)
    issued: float = 0.0


def encode(state: ListState, key: bytes, now: float | None = None) -> str:
    """A URL-safe token for `state`, issued now."""
    data = asdict(state) | {"issued": time.time() if now is None else now, "v": VERSION}
    payload = _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_b64(_mac(key, payload))}"


def decode(token: str, key: bytes, max_age: float, verb: str, now: float | None = None) -> ListState:
    """The state in `token`; raises BadToken when it is not one we issued, recently, for `verb`."""
    payload, dot, signature = token.partition(".")
    if not dot or not token.isascii() or not hmac.compare_digest(_b64(_mac(key, payload)), signature):
        raise BadToken("the resumptionToken is not one this repository issued (garbled or altered)")
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        version = data.pop("v")
        state = ListState(**data)
    except (binascii.Error, ValueError, TypeError, KeyError) as error:
        raise BadToken(f"the resumptionToken cannot be read: {error}") from None
    if version != VERSION:
        raise BadToken("the resumptionToken is from another version of this repository")
    if state.verb != verb:
        raise BadToken(f"the resumptionToken belongs to {state.verb}, not {verb}")
    if (time.time() if now is None else now) - state.issued > max_age:
        raise BadToken("the resumptionToken has expired; start the list again")
    return state


def _mac(key: bytes, payload: str) -> bytes:
    return hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()[:16]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
