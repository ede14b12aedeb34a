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
