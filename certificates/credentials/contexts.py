"""A JSON-LD document loader over the contexts that npm installed; nothing is fetched.

`npm install` runs scripts/credential-contexts.cjs, which writes each context package's own map
of URL → context (VC 2.0, Data Integrity, Multikey, Bitstring Status List, Open Badges 3.0) to
one JSON file. Any other URL is refused: canonicalising a credential never touches the network.
"""

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from pyld.jsonld import JsonLdError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"

DocumentLoader = Callable[[str, dict | None], dict]


class ContextsMissing(RuntimeError):
    """The contexts file npm writes is absent: run `make js-deps` (npm install)."""


@lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> dict[str, dict]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def installed_contexts(path: str | Path) -> dict[str, dict]:
    """URL → context, as npm's postinstall exported them (read once per file version)."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError as error:
        raise ContextsMissing(
            f"JSON-LD contexts not found at {path}; run `make js-deps` (npm install) first."
        ) from error
    return _read(str(path), mtime)


def document_loader(
    contexts: dict[str, dict], documents: dict[str, dict] | None = None
) -> DocumentLoader:
    """A pyld document loader answering only from `contexts` and `documents` (URL → JSON)."""
    known = {**contexts, **(documents or {})}

    def load(url: str, options: dict | None = None) -> dict:
        document = known.get(url)
        if document is None:
            raise JsonLdError(
                f"Refused to load {url!r}: only installed contexts are used.",
                "jsonld.LoadDocumentError",
                code="loading document failed",
            )
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load
