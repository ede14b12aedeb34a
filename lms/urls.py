from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, reverse_lazy
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import views as certificate_views
from certificates.credentials import views as credential_views
from privacy import views as privacy_views

from . import views
from .forms import LoginForm, ResetForm

account_patterns = [
    path(
        "entrar/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("registro/", privacy_views.signup, name="signup"),
    path("perfil/", views.profile, name="profile"),
    path(
        "contrasena/",
        privacy_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "contrasena/lista/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "recuperar/",
        auth_views.PasswordResetView.as_view(form_class=ResetForm),
        name="password_reset",
    ),
    path(
        "recuperar/enviado/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "recuperar/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "recuperar/listo/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/did.json", credential_views.did_json, name="did_json"),
    path("admin/", include(wagtailadmin_urls)),
    path("documentos/", include(wagtaildocs_urls)),
    path("cuenta/", include(account_patterns)),
    path("idioma/", views.set_language, name="set_language"),
    path("mi-aprendizaje/", views.learner_home, name="learner_home"),
    path("aprendizaje/", include("courses.urls")),
    path("evaluaciones/", include("assessments.urls")),
    path("talleres/", include("workshops.urls")),
    path("certificados/", include("certificates.urls")),
    # The short verification address printed under a certificate's QR code: quicker to type
    # from paper, and a smaller QR code with larger modules.
    path("v/<str:code>", certificate_views.verify, name="certificate_verify_short"),
    # Also with a trailing slash, and as the QR code encodes it (upper case, for the denser
    # alphanumeric mode: certificates.rendering.qr_payload); the code itself is read in any case.
    re_path(r"^[vV]/(?P<code>[^/]+)/$", certificate_views.verify),
    re_path(r"^V/(?P<code>[^/]+)$", certificate_views.verify),
    path("reportes/", include("reports.urls")),
    path("privacidad/", include("privacy.urls")),
    path("comunidad/", include("community.urls")),
    path("medios/", include("hosted_media.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Only images are public media, read from whichever storage holds them (a local folder or the
    # bucket). Certificates, ZIPs and workshop materials are private files reached through views
    # that check who is asking; documents go through Wagtail's serve view.
    media = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(
            rf"^{media}(?P<name>(original_images|images)/[^/]+)$",
            views.media_image,
            name="media_image",
        ),
    ]

# Pages of the default language live at their plain address; pages of another content language
# (the translations of courses, wagtail-localize) under its prefix: /en/... The interface language
# of a plain address stays the visitor's choice (lms.middleware.LocaleMiddleware).
translated_languages = "|".join(
    code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE
)
urlpatterns += [path("", include("offline.urls"))]
if translated_languages:
    urlpatterns += [
        re_path(
            rf"^(?P<language>{translated_languages})/(?P<path>(?:[\w\-]+/)*)$",
            views.page_serve,
            name="page_serve_translated",
        )
    ]
urlpatterns += [
    re_path(r"^(?!_util/)(?P<path>(?:[\w\-]+/)*)$", views.page_serve, name="page_serve"),
]
# Wagtail's own view, for its utility addresses and for page URLs: within i18n_patterns a page
# of another locale reverses to its prefixed address.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
