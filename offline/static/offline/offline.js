// Offline use, as a progressive enhancement: saves a course on the device, keeps what the
// learner completes or answers without a connection (IndexedDB) and sends it once when back
// online. Every page works without this script; pages are stored per account.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="offline-account"]');
  if (!meta || !meta.dataset.config || !("serviceWorker" in navigator) || !window.indexedDB || !window.caches) { return; }
  var CFG = JSON.parse(meta.dataset.config), T = CFG.t, ACCOUNT = meta.content;
  var PREFIX = "offline-acct-";
  var CSRF = /<input[^>]*name="csrfmiddlewaretoken"[^>]*>/g;
  var ASSET = /<(?:img|script|link)\b[^>]*?\s(?:src|href)="(\/(?!\/)[^"]*)"/g;
  var completeRe = new RegExp("^" + CFG.complete.replace("/0/", "/(\\d+)/") + "$");
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});

  // ------------------------------------------------------------ device storage (IndexedDB)
  var dbp = null;
  function db() {
    dbp = dbp || new Promise(function (ok, ko) {
      var r = indexedDB.open("lms-offline", 1);
      r.onupgradeneeded = function () {
        ["items", "papers", "courses"].forEach(function (n) { r.result.createObjectStore(n, { keyPath: "id" }); });
      };
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { ko(r.error); };
    });
    return dbp;
  }
  function tx(name, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (ok, ko) {
        var t = d.transaction(name, mode), req = fn(t.objectStore(name));
        t.oncomplete = function () { ok(req && req.result); };
        t.onerror = t.onabort = function () { ko(t.error); };
      });
    });
  }
  function all(name, account) {
    var who = account === undefined ? ACCOUNT : account;
    return tx(name, "readonly", function (s) { return s.getAll(); })
      .then(function (rows) { return rows.filter(function (r) { return r.account === who; }); });
  }
  function get(name, id) { return tx(name, "readonly", function (s) { return s.get(id); }); }
  function put(name, row) { return tx(name, "readwrite", function (s) { return s.put(row); }); }
  function del(name, id) { return tx(name, "readwrite", function (s) { return s.delete(id); }); }

  function uuid() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) { h.push((b[i] + 256).toString(16).slice(1)); }
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") + "-" +
      h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }
  function size(bytes) {
    return bytes > 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  // ------------------------------------------------------------ one account per device
  // Everything stored belongs to the account named in the page; another account signing in
  // (or a logout) removes the pages, papers and history of the previous one. Answers of the
  // previous account not sent yet stay hidden and are sent when that account signs in again.
  function forget(account) {
    return caches.delete(PREFIX + account).then(function () {
      return Promise.all([all("papers", account), all("courses", account), all("items", account)]);
    }).then(function (lists) {
      var jobs = lists[0].map(function (r) { return del("papers", r.id); })
        .concat(lists[1].map(function (r) { return del("courses", r.id); }))
        .concat(lists[2].filter(function (r) { return r.state !== "pending"; }).map(function (r) { return del("items", r.id); }));
      return Promise.all(jobs);
    });
  }
  var previous = localStorage.getItem("offline-account");
  var ready = Promise.resolve();
  if (ACCOUNT && previous && previous !== ACCOUNT) { ready = forget(previous).catch(function () {}); }
  if (ACCOUNT) { localStorage.setItem("offline-account", ACCOUNT); }

  // ------------------------------------------------------------ sending what was done offline
  function freshToken() {
    return fetch(CFG.token, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); });
  }
  var syncing = null;
  function sync() {
    if (syncing) { return syncing; }
    syncing = all("items").then(function (items) {
      var pending = items.filter(function (i) { return i.state === "pending"; });
      if (!pending.length || !navigator.onLine || !ACCOUNT) { return null; }
      return freshToken().then(function (tok) {
        if (tok.account !== ACCOUNT) { return null; }  // never send one account's work under another
        return fetch(CFG.sync, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": tok.token },
          body: JSON.stringify({ items: pending.map(function (i) {
            return { id: i.id, kind: i.kind, page: i.page, paper: i.paper, data: i.data, answered_at: i.answered_at };
          }) })
        }).then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); }).then(function (body) {
          return Promise.all(body.items.map(function (a) {
            var item = pending.filter(function (p) { return p.id === a.id; })[0];
            if (!item || a.status === "retry") { return null; }
            item.state = a.status === "accepted" ? "sent" : "rejected";
            item.message = a.message || "";
            item.result = a.result || {};
            item.sent_at = a.received_at || new Date().toISOString();
            return put("items", item);
          }));
        });
      });
    }).catch(function () {}).then(function () { syncing = null; return render(); });
    return syncing;
  }
  function queue(item) {
    item.id = uuid(); item.account = ACCOUNT; item.state = "pending";
    item.answered_at = new Date().toISOString(); item.url = location.pathname;
    return put("items", item).then(function () {
      navigator.serviceWorker.ready.then(function (reg) { return reg.sync && reg.sync.register("offline-send"); }).catch(function () {});
      return navigator.onLine ? sync() : render();
    });
  }

  // ------------------------------------------------------------ saving a course
  function saveCourse(box, pkg, withDocs) {
    var bar = $("[data-offline-progress]", box), msg = $("[data-offline-message]", box);
    var total = pkg.bytes + (withDocs ? pkg.documents_bytes : 0), done = 0, failed = 0, seen = {};
    var todo = pkg.pages.map(function (p) { return [p.url, true]; })
      .concat(pkg.images.map(function (i) { return [i.url, false]; }))
      .concat(withDocs ? pkg.documents.map(function (d) { return [d.url, false]; }) : []);
    bar.hidden = false; bar.value = 0; msg.textContent = T.saving;
    return caches.open(PREFIX + ACCOUNT).then(function (cache) {
      function step() {
        var next = todo.shift();
        if (!next) { return null; }
        if (seen[next[0]]) { return step(); }
        seen[next[0]] = true;
        var headers = next[1] ? { "X-Offline-Save": "1" } : {};
        return fetch(next[0], { credentials: "same-origin", headers: headers }).then(function (r) {
          if (!r.ok) { throw r.status; }
          var type = r.headers.get("Content-Type") || "";
          if (!next[1]) {
            return r.blob().then(function (b) { done += b.size; return cache.put(next[0], new Response(b, { headers: { "Content-Type": type } })); });
          }
          return r.text().then(function (html) {
            var m;
            html = html.replace(CSRF, "");  // a stored page never carries a CSRF token
            ASSET.lastIndex = 0;
            while ((m = ASSET.exec(html))) { if (!seen[m[1]]) { todo.push([m[1].replace(/&amp;/g, "&"), false]); } }
            done += html.length;
            return cache.put(next[0], new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
          });
        }).catch(function () { failed += 1; }).then(function () {
          bar.value = Math.min(99, Math.round(100 * done / Math.max(total, 1)));
          return step();
        });
      }
      return step();
    }).then(function () {
      // A question paper is issued (written) for the learner: asked for by POST with a token.
      return pkg.answerable.length ? freshToken().catch(function () { return {}; }) : {};
    }).then(function (tok) {
      return Promise.all(pkg.answerable.map(function (a) {
        return fetch(a.url, {
          method: "POST", credentials: "same-origin", cache: "no-store",
          headers: { "X-CSRFToken": tok.token || "" }
        }).then(function (r) {
          return r.json().then(function (body) {
            if (!r.ok) { return body.error ? a.title + ": " + body.error : null; }
            var id = ACCOUNT + ":" + body.page;
            return get("papers", id).then(function (old) {
              body.id = id; body.account = ACCOUNT;
              body.draft = old && old.paper === body.paper ? old.draft : null;
              return put("papers", body);
            });
          });
        }).catch(function () { failed += 1; });
      }));
    }).then(function (notes) {
      bar.value = 100;
      return put("courses", {
        id: ACCOUNT + ":" + pkg.url, account: ACCOUNT, title: pkg.title, url: pkg.url,
        saved_at: new Date().toISOString(), bytes: done
      }).then(function () {
        msg.textContent = (failed ? T.failed : T.done) + " " + notes.filter(Boolean).join(" ");
        return render();
      });
    });
  }
  function setupSave(box) {
    var pkg = null;
    box.hidden = false;
    $("[data-offline-ask]", box).addEventListener("click", function () {
      fetch(box.dataset.offlineSave, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); }).then(function (body) {
          if (body.error) { $("[data-offline-message]", box).textContent = body.error; return; }
          pkg = body;
          $("[data-offline-size]", box).textContent = T.size.replace("%s", size(pkg.bytes));
          if (pkg.documents.length) {
            $("[data-offline-docs-row]", box).hidden = false;
            $("[data-offline-docs-label]", box).textContent = T.docs.replace("%s", size(pkg.documents_bytes));
          }
          $("[data-offline-confirm]", box).hidden = false;
          $("[data-offline-go]", box).focus();
        }).catch(function () { $("[data-offline-message]", box).textContent = T.failed; });
    });
    $("[data-offline-go]", box).addEventListener("click", function () {
      if (!pkg) { return; }
      $("[data-offline-confirm]", box).hidden = true;
      saveCourse(box, pkg, $("[data-offline-docs]", box).checked);
    });
  }

  // ------------------------------------------------------------ answering offline
  function fill(form, pairs) {
    (pairs || []).forEach(function (p) {
      $$("[name]", form).forEach(function (input) {
        if (input.name !== p[0]) { return; }
        if (input.type === "radio" || input.type === "checkbox") { if (input.value === p[1]) { input.checked = true; } }
        else { input.value = p[1]; }
      });
    });
  }
  function pairsOf(form) {
    var out = [];
    new FormData(form).forEach(function (v, k) { if (typeof v === "string") { out.push([k, v]); } });
    return out;
  }
  function renderAnswer(box, items) {
    var page = +box.dataset.offlineAnswer, body = $("[data-offline-body]", box);
    var mine = items.filter(function (i) { return i.page === page && i.kind !== "completion"; });
    return get("papers", ACCOUNT + ":" + page).then(function (paper) {
      body.textContent = "";
      if (mine.length) { body.appendChild(itemList(mine)); }
      if (!paper) { box.hidden = !mine.length; return; }
      box.hidden = false;
      if (navigator.onLine) { body.appendChild(el("p", T.copy, "small")); return; }
      var form = el("form");
      form.setAttribute("data-offline-form", "");
      form.innerHTML = paper.html;
      var button = el("button", T.keep, "button");
      button.type = "submit";
      form.appendChild(button);
      fill(form, paper.draft);
      form.addEventListener("change", function () { paper.draft = pairsOf(form); put("papers", paper); });
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var data = pairsOf(form);
        del("papers", paper.id).then(function () {
          return queue({ kind: paper.kind === "quiz" ? "attempt" : "survey", page: page, paper: paper.paper,
            data: data, title: paper.title });
        }).then(function () { box.appendChild(el("p", T.kept, "message")); });
      });
      body.appendChild(form);
    });
  }
  function itemList(items) {
    var ul = el("ul", "", "offline-items");
    items.forEach(function (i) {
      var li = el("li"), state = T[i.state] || i.state;
      li.appendChild(el("strong", i.title || ""));
      li.appendChild(document.createTextNode(" · " + T.answered + " " + when(i.answered_at) + " · "));
      li.appendChild(el("span", i.state === "sent" ? state + " " + when(i.sent_at) : state, "badge badge-" + i.state));
      if (i.result && i.result.score !== undefined && i.result.score !== null) {
        li.appendChild(document.createTextNode(" · " + T.score + ": " + i.result.score + " %"));
      }
      if (i.message) { li.appendChild(el("p", i.message, "message message-error")); }
      ul.appendChild(li);
    });
    return ul;
  }

  // ------------------------------------------------------------ what the learner sees
  function render() {
    return Promise.all([all("items"), all("courses")]).then(function (r) {
      var items = r[0].sort(function (a, b) { return a.answered_at < b.answered_at ? 1 : -1; }), courses = r[1];
      var pending = items.filter(function (i) { return i.state === "pending"; });
      var banner = $("#offline-banner");
      if (!banner) {
        banner = el("p", "", "callout");
        banner.id = "offline-banner";
        banner.setAttribute("role", "status");
        $("main").insertBefore(banner, $("main").firstChild);
      }
      banner.textContent = navigator.onLine ? "" : T.offline + " ";
      if (pending.length) {
        var link = el("a", pending.length + " " + T.pendingCount);
        link.href = CFG.status;
        banner.appendChild(link);
      }
      banner.hidden = !banner.textContent;
      $$("form").forEach(function (form) {
        var m = new URL(form.action, location.href).pathname.match(completeRe);
        var done = m && items.filter(function (i) { return i.kind === "completion" && i.page === +m[1]; })[0];
        if (done) { form.replaceWith(el("p", done.state === "pending" ? T.completedHere : T.sent + " " + when(done.sent_at), "message")); }
      });
      $$("[data-offline-save]").forEach(function (box) {
        var saved = courses.filter(function (c) { return c.url === location.pathname; })[0];
        $("[data-offline-saved]", box).textContent = saved ? T.saved.replace("%s", when(saved.saved_at)) + " (" + size(saved.bytes) + ")" : "";
      });
      var status = $("[data-offline-status]");
      if (status) {
        status.hidden = false;
        var list = $("[data-offline-courses]", status), box = $("[data-offline-items]", status);
        list.textContent = ""; box.textContent = "";
        courses.forEach(function (c) {
          var li = el("li"), a = el("a", c.title);
          a.href = c.url;
          li.appendChild(a);
          li.appendChild(document.createTextNode(" · " + T.saved.replace("%s", when(c.saved_at)) + " (" + size(c.bytes) + ")"));
          list.appendChild(li);
        });
        if (!courses.length) { list.appendChild(el("li", T.none)); }
        box.appendChild(items.length ? itemList(items) : el("p", T.none));
      }
      return Promise.all($$("[data-offline-answer]").map(function (b) { return renderAnswer(b, items); }));
    }).catch(function () {});
  }

  // ------------------------------------------------------------ forms
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.hasAttribute("data-offline-form") || (form.method || "").toLowerCase() !== "post") { return; }
    var path = new URL(form.action, location.href).pathname, m = path.match(completeRe);
    if (m && ACCOUNT && !navigator.onLine) {
      ev.preventDefault();
      queue({ kind: "completion", page: +m[1], title: document.title.split(" · ")[0] });
      return;
    }
    if (!navigator.onLine) {  // anything else needs the server: say so rather than fail
      ev.preventDefault();
      form.appendChild(el("p", T.needsConnection, "message message-error")).setAttribute("role", "alert");
      return;
    }
    var token = $('[name="csrfmiddlewaretoken"]', form), logout = path === CFG.logout;
    if (!logout && token && token.value) { return; }
    // A stored page has no token; a logout first sends what is pending and empties the device.
    ev.preventDefault();
    var submitter = ev.submitter;
    (logout ? sync().then(function () { return forget(ACCOUNT); }).then(function () { localStorage.removeItem("offline-account"); }) : Promise.resolve())
      .catch(function () {}).then(freshToken).then(function (tok) {
        if (!token) { token = el("input"); token.type = "hidden"; token.name = "csrfmiddlewaretoken"; form.appendChild(token); }
        token.value = tok.token;
        if (submitter && submitter.name) {
          var extra = el("input"); extra.type = "hidden"; extra.name = submitter.name; extra.value = submitter.value;
          form.appendChild(extra);
        }
        form.submit();
      }).catch(function () { render(); });
  });

  ready.then(function () {
    $$("[data-offline-save]").forEach(setupSave);
    $$("[data-offline-send]").forEach(function (b) { b.addEventListener("click", sync); });
    window.addEventListener("online", sync);
    window.addEventListener("offline", render);
    navigator.serviceWorker.addEventListener("message", function (ev) { if (ev.data === "offline-synced") { render(); } });
    return navigator.onLine ? sync() : render();
  });
})();
