// The service worker: keeps the site's shell (styles, script, icon) and answers navigations
// without a connection from the pages a learner saved (offline.js stores them per account).
"use strict";
var VERSION = "{{ version|escapejs }}";
var SHELL = "offline-shell-" + VERSION;
var SHELL_URLS = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var STATIC_URL = "{{ static_url|escapejs }}";
var FALLBACK = "{{ offline_url|escapejs }}";
var OFFLINE_PAGE = "{{ offline_page|escapejs }}";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_URLS); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("offline-shell-") === 0 && k !== SHELL; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // The network first: a saved copy only when there is no connection.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (saved) {
        return saved || caches.match(FALLBACK, { ignoreVary: true });
      }).then(function (saved) {
        return saved || new Response(OFFLINE_PAGE, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
    }));
    return;
  }
  if (url.pathname.indexOf(STATIC_URL) === 0 || url.pathname.indexOf("/media/") === 0 || url.pathname.indexOf("/documentos/") === 0) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (saved) {
        return saved || Response.error();
      });
    }));
  }
});

// Background sync: what a learner did offline is sent when the connection returns, also with
// no page open (where the browser has background sync; otherwise the pages send it).
var TOKEN_URL = "{{ token_url|escapejs }}";
var SYNC_URL = "{{ sync_url|escapejs }}";

function openItems(mode) {
  return new Promise(function (ok, ko) {
    var r = indexedDB.open("lms-offline", 1);
    r.onupgradeneeded = function () {
      ["items", "papers", "courses"].forEach(function (n) { r.result.createObjectStore(n, { keyPath: "id" }); });
    };
    r.onsuccess = function () { ok(r.result.transaction("items", mode).objectStore("items")); };
    r.onerror = function () { ko(r.error); };
  });
}

function sendPending() {
  return openItems("readonly").then(function (store) {
    return new Promise(function (ok) { var r = store.getAll(); r.onsuccess = function () { ok(r.result); }; });
  }).then(function (rows) {
    var pending = rows.filter(function (i) { return i.state === "pending"; });
    if (!pending.length) { return null; }
    return fetch(TOKEN_URL, { credentials: "same-origin", cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (tok) {
        // Only the items of the account signed in now: never one account's work under another.
        var mine = pending.filter(function (i) { return i.account && i.account === tok.account; });
        if (!mine.length) { return null; }
        return fetch(SYNC_URL, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": tok.token },
          body: JSON.stringify({ items: mine.map(function (i) {
            return { id: i.id, kind: i.kind, page: i.page, paper: i.paper, data: i.data, answered_at: i.answered_at };
          }) })
        }).then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); }).then(function (body) {
          return openItems("readwrite").then(function (store) {
            body.items.forEach(function (a) {
              var item = mine.filter(function (p) { return p.id === a.id; })[0];
              if (!item || a.status === "retry") { return; }
              item.state = a.status === "accepted" ? "sent" : "rejected";
              item.message = a.message || "";
              item.result = a.result || {};
              item.sent_at = a.received_at || new Date().toISOString();
              store.put(item);
            });
          });
        });
      });
  }).then(function () { return self.clients.matchAll(); }).then(function (clients) {
    clients.forEach(function (c) { c.postMessage("offline-synced"); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "offline-send") { event.waitUntil(sendPending()); }
});
