"""Settings, every one from the environment with a documented default (see .env.example).

12-factor and loud: with DEBUG off and no SECRET_KEY the app refuses to start, and there is no
fallback secret. Defaults are the production-safe choice unless a line says otherwise.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from inputbank.settings_env import (
    cache_from_url,
    databases_from_env,
    env,
    env_bool,
    env_int,
    env_list,
    logging_from_env,
)

# The input bank's own settings (INPUTBANK, TILES, OGC, IMPORTS, GIS_TMP_DIR), beside Django's.
from inputbank.settings_inputbank import (  # noqa: F401 - Django reads them from this module
    GIS_TMP_DIR,
    IMPORTS,
    INPUTBANK,
    OGC,
    TILES,
)

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (./scripts/run makes a local one)."
        )
    SECRET_KEY = "dev-only-insecure-key-DEBUG-is-on"  # noqa: S105 - only ever with DEBUG on

# Rotating the key (docs/deploy.md): the old one goes here for a day, so sessions and open
# forms signed with it stay valid while the new one takes over.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
)

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "mozilla_django_oidc",
    "inputbank",
    "maps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: staff pages in the officer's own language, not the browser's.
    "inputbank.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "inputbank.middleware.SecurityHeadersMiddleware",
    "inputbank.middleware.DatabaseUnavailableMiddleware",
    # Before anything that reads input: a browser that just wrote reads the primary.
    "inputbank.middleware.ReadYourWritesMiddleware",
    # Last, so that it sees the outcome of every login form (the admin's too).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inputbank.urls"
WSGI_APPLICATION = "inputbank.wsgi.application"
ASGI_APPLICATION = "inputbank.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inputbank.context_processors.sso",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL (required) and DATABASE_REPLICA_URLS (streaming read replicas, aliases replica_1,
# replica_2, ...; read-only views read from them, inputbank/dbrouter.py; none = everything on the
# primary): inputbank/settings_env.py, docs/deploy.md.
DATABASES = databases_from_env()
DATABASE_ROUTERS = ["inputbank.dbrouter.ReplicaRouter"]
REPLICAS = {
    # After a browser writes (any POST/PUT/PATCH/DELETE but the read-only ones), it reads the
    # primary this long: its own submission, edit or decision is there on the next page.
    "STICKY_SECONDS": env_int("REPLICA_STICKY_SECONDS", 15),
    # A replica further behind than this is skipped (seconds; see dbrouter for how it is told).
    "MAX_LAG_SECONDS": float(env("REPLICA_MAX_LAG_SECONDS", "5")),
    # How often each worker asks a replica how far behind it is (and whether it is back).
    "CHECK_SECONDS": float(env("REPLICA_CHECK_SECONDS", "2")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after a working day (seconds), and with the browser.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Exports of personal data, access and erasure requests and user/role changes need a log-in
# (or a re-authentication) no older than this (inputbank/reauth.py).
STAFF_REAUTH_MINUTES = env_int("STAFF_REAUTH_MINUTES", 15)

# Login lock-out (django-axes) on every login form, the admin's included: after
# LOGIN_FAILURE_LIMIT failures the pair (username, address) is locked for LOGIN_COOLOFF_MINUTES.
# Keyed on the pair, so an attacker elsewhere cannot lock a real user out, and one address
# (a town hall's Wi-Fi) guessing many accounts is refused per account. Counted in the shared
# cache, so every worker sees the same count.
AUTHENTICATION_BACKENDS = [
    "inputbank.lockout.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every management command
# Behind nginx REMOTE_ADDR is the proxy's: the client is found by the API's own rule
# (X-Forwarded-For trusted exactly API_NUM_PROXIES far), so lock-outs and throttles agree.
AXES_CLIENT_IP_CALLABLE = "inputbank.api.throttling.client_address"

# Staff single sign-on over OpenID Connect (inputbank/sso.py, docs/deploy.md): on when
# OIDC_RP_CLIENT_ID is set. OIDC_OP_ISSUER names the provider; its endpoints default to the
# usual paths below it (Entra: https://login.microsoftonline.com/<tenant>/v2.0) and can each
# be set.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("inputbank.sso.StaffOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
    _issuer = env("OIDC_OP_ISSUER", "").rstrip("/")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", f"{_issuer}/auth")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", f"{_issuer}/token")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", f"{_issuer}/me")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", f"{_issuer}/jwks")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile groups")
    OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
    OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
    # ?reauth=1 asks the IdP for a fresh log-in (prompt=login), for sensitive actions.
    OIDC_AUTHENTICATE_CLASS = "inputbank.sso.StaffAuthenticationRequestView"
    OIDC_CALLBACK_CLASS = "inputbank.sso.StaffAuthenticationCallbackView"
OIDC_USERNAME_CLAIM = env("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", "groups")
# IdP group → role, e.g. "a1b2-...=case_officers;c3d4-...=moderators" (inputbank/roles.py).
OIDC_GROUP_ROLES = env("OIDC_GROUP_ROLES", "")

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/"

# --- Languages --------------------------------------------------------------------------------
# Bokmål is the default; the others are the languages spoken in Moss that the plan names.
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "inputbank" / "locale", BASE_DIR / "maps" / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nb"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nb",)
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
# Numbers the Norwegian way: "2 270 timer", "96 000 kr". Django's own nb and nn formats are
# right (a non-breaking space between thousands, decimal comma, d.m.Y), so there is no
# FORMAT_MODULE_PATH; tests/staff/test_language.py holds them to it. Numbers that are not
# amounts (years, ids in links and forms) are written with |unlocalize or as text.
USE_THOUSAND_SEPARATOR = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Without DEBUG, compressed + hashed names; tests use the plain storage so they need not
        # run collectstatic first.
        "BACKEND": env(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # A page's scripts as one file, built from their sources (maps/bundles.py).
    "maps.bundles.BundleFinder",
]
# Where the bundles are written before collectstatic (or a finder) picks them up.
STATIC_BUNDLE_ROOT = Path(env("STATIC_BUNDLE_ROOT", str(BASE_DIR / "var" / "bundles")))
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5_242_880)

# --- Security ---------------------------------------------------------------------------------
# Production defaults; ./scripts/run (DEBUG on, plain http on 127.0.0.1) turns the https-only
# ones off through DJANGO_DEBUG.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# Behind nginx (deploy/nginx) the host asked for arrives as X-Forwarded-Host; absolute links
# (OGC API, TileJSON, exports) are built on it. Still bounded by ALLOWED_HOSTS.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # the embeddable map opts out per view
# The content security policy: no inline scripts, no CDNs. Tile host comes from BASEMAP_URL.
BASEMAP_URL = env(
    "BASEMAP_URL",
    "https://cache.kartverket.no/v1/wmts/1.0.0/{layer}/default/webmercator/{z}/{y}/{x}.png",
)
BASEMAP_LAYER = env("BASEMAP_LAYER", "topograatone")
BASEMAP_ATTRIBUTION = env("BASEMAP_ATTRIBUTION", "© Kartverket")
SILENCED_SYSTEM_CHECKS = [
    # Django 5.2 wants GDAL >= 3.9; Debian bookworm ships 3.6.2 and everything we use works on it.
    "gis.W001",
]

# --- REST framework ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "inputbank.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "submit": env("THROTTLE_SUBMIT", "30/hour"),
        "support": env("THROTTLE_SUPPORT", "120/hour"),
        "anon": env("THROTTLE_ANON", "600/minute"),
        # Area alert subscriptions (/alerts/) from one client address.
        "alerts": env("THROTTLE_ALERTS", "20/hour"),
    },
    # How many proxies in front of the app append to X-Forwarded-For. 0 = use REMOTE_ADDR only;
    # trusting the header further lets a client choose its own throttle bucket.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "EXCEPTION_HANDLER": "inputbank.api.errors.exception_handler",
    # No ?format= switch: content negotiation by Accept only, and one less query parameter.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Moss innspillsbank API",
    "DESCRIPTION": "Participation input with location, themes and responses. GeoJSON is RFC 7946.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Error bodies, status codes, public operations, parameter shapes: inputbank/api/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inputbank.api.schema.exact",
    ],
}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "innspill@moss.kommune.no")

# --- Shared cache -----------------------------------------------------------------------------
# Throttle counters, login lock-outs and the single-use form tokens live here: it must be shared
# by every worker, or each worker counts on its own (4 workers = 4x the limit).
CACHES = {"default": cache_from_url(env("CACHE_URL", "db://inputbank_cache"))}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # One process (the tests): axes warns that locmem is not shared, which is true and fine.
    SILENCED_SYSTEM_CHECKS.append("axes.W001")

LOGGING = logging_from_env()  # to the console, at LOG_LEVEL (default INFO)
