"""Django settings of the fonds site, derived from the one typed `fonds.settings.Settings`.

Django reads this module through DJANGO_SETTINGS_MODULE=fonds.site; nothing here is meant to be
edited for a deployment: change fonds.toml or the environment instead.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

from fonds.settings import get_settings

_settings = get_settings()


def _databases() -> dict:
    url = _settings.database_url
    if url and not url.startswith("sqlite:"):
        return {"default": dj_database_url.parse(url, conn_max_age=60)}
    # A sqlite:///path URL names another SQLite file; it gets the same tuning as the home's.
    path = dj_database_url.parse(url)["NAME"] if url else str(_settings.catalog_path)
    _settings.home.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # WAL lets readers (the web server) go on while an ingest writes; IMMEDIATE makes a
            # writer take its lock at BEGIN instead of failing half way through a file.
            "OPTIONS": {
                "timeout": _settings.sqlite_timeout,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            "TEST": {"NAME": str(_settings.home / "test-catalog.sqlite3")},
        }
    }


SECRET_KEY = _settings.resolved_secret_key()
DEBUG = _settings.debug
ALLOWED_HOSTS = _settings.hosts
# Security settings of the operators' section of the README; on in production mode.
SECURE_HSTS_SECONDS = _settings.hsts
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services may share the domain without TLS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _settings.cookies_secure
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _settings.proxy_tls_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _settings.proxy_tls_header.upper().replace("-", "_"), "https")
INSTALLED_APPS = [
    # Before django.contrib.admin, so its admin/base_site.html (the staff stylesheet) is the one used.
    "fonds.staff.apps.Config",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ninja",  # so /api/docs serves its bundled Swagger UI instead of loading it from a CDN
    "fonds.catalog",
    "fonds.web",
    "fonds.oai.apps.Config",
    "fonds.api.apps.Config",
    "fonds.iiif.apps.Config",
    "fonds.jobs.apps.Config",
    "axes",  # login throttling (django-axes)
]
MIDDLEWARE = [
    "fonds.web.middleware.RequestLog",  # first: it times everything below
    "django.middleware.security.SecurityMiddleware",
    "fonds.web.pagestore.PageStore",  # before compression: it keeps pages as they are sent
    "django.middleware.gzip.GZipMiddleware",  # pages and API answers; static files come compressed from whitenoise
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fonds.web.middleware.RejectNulBytes",
    "fonds.web.middleware.ContentSecurityPolicy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the interface language: cookie, else Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out sign-in with 429
    "fonds.web.middleware.PageCaching",
]
ROOT_URLCONF = "fonds.web.urls"
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
                "fonds.web.views.site_context",
            ]
        },
    }
]
WSGI_APPLICATION = "fonds.web.wsgi.application"
DATABASES = _databases()

# Staff accounts: Django's password validators (also applied by `fonds user create`), and sign-ins
# throttled by django-axes: after login_failure_limit failures a user name, and an address, is
# locked out for login_lockout_minutes. Failures are counted in Redis when redis_url is set (shared
# by every web node, nothing written to the catalog), else in the catalog database.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": _settings.password_min_length}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["fonds.catalog.throttle.SignInThrottle", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = _settings.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=_settings.login_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          # Rendered citations (fonds.archive.citations): shared by every process and node through
          # Redis when there is one, so a document's citations are rendered once, not once per worker.
          # Django's default of 300 entries held 15 search pages' COinS: a search met again found
          # its hits' COinS gone. About 10,000 documents' citations are some 30 MB per process.
          "citations": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "citations",
                        "OPTIONS": {"MAX_ENTRIES": 10_000}}}
if _settings.redis_url:
    CACHES["citations"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _settings.redis_url}
    CACHES["logins"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _settings.redis_url}
    AXES_CACHE = "logins"
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
else:
    AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en"
# The languages of the interface (record data is shown as recorded). Adding one: its code here, then
# `django-admin makemessages -l CODE` in src/fonds and a translated locale/CODE/LC_MESSAGES/django.po
# (README, "Languages").
LANGUAGES = [("en", gettext_lazy("English")), ("ru", gettext_lazy("Russian"))]
LOCALE_PATHS = [str(Path(__file__).parent / "locale")]
# English dates read "December 14, 1959" (Django's own English formats abbreviate the month); other
# languages use Django's formats for them.
FORMAT_MODULE_PATH = ["fonds.web.formats"]
# The visitor's choice of language (the switcher on every page) is kept for a year.
LANGUAGE_COOKIE_NAME = "fonds_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = _settings.cookies_secure
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = str(_settings.media_dir)
# Serve the packaged static files straight from the apps, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
# Logs go to stderr (journald or the process manager keeps them): one JSON object a line by default,
# with the request log's fields (method, path, status, ms, bytes) as keys.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "timestamp": True,
                 "fmt": "%(levelname)s %(name)s %(message)s"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": _settings.log_format}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"fonds": {"level": _settings.log_level}},
}
