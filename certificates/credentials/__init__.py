"""Open Badges 3.0 credentials beside certificates.

Pure modules (no database): `keys` (Ed25519 keys and their Multikey encodings), `contexts` (the
JSON-LD document loader over the contexts npm installed), `proof` (Data Integrity proofs with the
eddsa-rdfc-2022 cryptosuite), `badge` (the OpenBadgeCredential and Achievement documents),
`identity` (did:web), `status` (Bitstring Status List encoding) and `checks` (what a verifier
checks). `services` issues a certificate's credential in its render task; `selectors` reads;
`views` serve did.json, achievements, status lists and credential downloads.
"""
