vcl 4.1;
# Varnish in front of the web processes (README "Scale-out").
# Anonymous GET/HEAD requests for pages, images and static files are cached; anything with a
# session (learners, trainers, editors) and every other method passes through untouched.
# Wagtail's frontend cache (settings FRONTEND_CACHE_URLS) sends PURGE on publish, unpublish and move.
# The backend list is filled in by whoever deploys: one line per web process or machine.

import directors;

# BACKENDS (replaced by the cluster test; one `backend webN { ... }` per web process)
backend web1 { .host = "127.0.0.1"; .port = "8000"; }

sub vcl_init {
    new web = directors.round_robin();
    # DIRECTOR (one `web.add_backend(webN);` per backend)
    web.add_backend(web1);
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = web.backend();
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # People with a session see their own state on every page.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Personal, token-bearing or always-live addresses: accounts, the learner's home, quizzes,
    # workshops and calendar feeds, certificates and their verification (a revocation shows at
    # once), reports, the admin, documents (Wagtail checks their privacy) and the health check.
    if (req.url ~ "^/(admin|django-admin|cuenta|mi-aprendizaje|evaluaciones|talleres|certificados|v/|reportes|documentos|idioma|healthz)") {
        return (pass);
    }
    # An anonymous visitor's only cookie that changes a page is the chosen language.
    if (req.http.Cookie ~ "(^|;\s*)django_language=") {
        set req.http.Cookie = regsub(req.http.Cookie, "^(.*;\s*)?(django_language=[^;]*).*$", "\2");
    } else {
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_hash {
    # One site: the address alone names a page (Wagtail purges with the site's own host name).
    hash_data(req.url);
    if (req.http.Cookie) {
        hash_data(req.http.Cookie);
    }
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # A response that sets a cookie (a CSRF token, a session) or says it is private is never shared.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.status == 200 || beresp.status == 301 || beresp.status == 404) {
        # Pages stay until purged, at most 10 minutes; images and static files as they say.
        if (!beresp.http.Cache-Control) {
            set beresp.ttl = 10m;
        }
        set beresp.grace = 1m;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
