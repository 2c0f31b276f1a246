"""Zhongtai settings: one module, driven by environment variables.

With no variable set this is the embedded default (SQLite under var/, Celery eager, debug on).
With DEBUG=0 it is production: SECRET_KEY is required and the secure defaults apply.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHONGTAI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG=0: export a long random value, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-embedded-default-only-for-local-try-out"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Front modules can be switched off for a phased rollout (DESIGN.md): their screens, API and
# receivers disappear, the ERP keeps working.
ZHONGTAI_MODULES = env_list("ZHONGTAI_MODULES", ["mes", "wms", "crm"])
_FRONT_APPS = [f"{name}.apps.{name.upper()}Config" for name in ("mes", "wms", "crm")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "integration.apps.IntegrationConfig",
    "erp_core.apps.ErpCoreConfig",
    "erp_core.ledger.apps.LedgerConfig",
    "erp_core.stock.apps.StockConfig",
    "erp_core.documents.apps.DocumentsConfig",
    "erp_core.sales.apps.SalesConfig",
    "erp_core.purchasing.apps.PurchasingConfig",
    "erp_core.production.apps.ProductionConfig",
    "erp_core.planning.apps.PlanningConfig",
    "erp_core.scheduling.apps.SchedulingConfig",
    "erp_core.billing.apps.BillingConfig",
    "erp_core.portal.apps.PortalConfig",
    *(app for app in _FRONT_APPS if app.split(".")[0] in ZHONGTAI_MODULES),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `common` is a kernel, not an installed app: its template filters are named here.
            "libraries": {"numbers": "common.templatetags.numbers"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "erp_core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhongtai.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, reading a decimal too long for its column instead of failing the query.
    DATABASES["default"]["ENGINE"] = "common.db.sqlite3"
    # Tests run in memory, as on Django's own SQLite (said outright, as tools such as
    # pytest-django recognise the in-memory default by Django's engine name only).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the dev server and an eager Celery share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "erp_core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "erp_core:home"
LOGOUT_REDIRECT_URL = "login"

# --- Sign-in throttling (django-axes) --------------------------------------------------------
# Every password sign-in (the staff sign-in page, the admin's, the partner portal's) goes
# through authenticate(request=...), which AxesStandaloneBackend checks first. API tokens are
# not passwords and are not counted here (the API has its own rate throttles). Tests sign in
# with force_login; client.login() would need a request (see docs/api.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many failures an account (any address), and an address (any account), are locked
# out for the cool-off; a success resets the account's count. Sites where many users share one
# address (a factory behind NAT) may lock on the pair instead:
# LOGIN_LOCKOUT_PARAMETERS=username,username+ip_address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [
    name.split("+") if "+" in name else name
    for name in env_list("LOGIN_LOCKOUT_PARAMETERS", ["username", "ip_address"])
]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "config.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.signin.client_ip"
# Behind a reverse proxy: how many trusted proxies add themselves to X-Forwarded-For.
LOGIN_PROXY_COUNT = env_int("LOGIN_PROXY_COUNT", 0)
# The password and the POST body are never stored with an attempt.
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
if DEBUG:
    # WhiteNoise looks for the folder even when the dev server serves the files itself.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# --- Security (production defaults; each can be overridden for a TLS-terminating proxy) -----
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Celery and the event bus ---------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "zhongtai")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A short visibility timeout: a message taken by a worker that died is handed out again soon.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 60),
    # Scan for abandoned messages every N seconds (kombu otherwise scans every 10 x 10 s).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_SECONDS", 10),
    "unacked_restore_throttle": 1,
    # Publishing must not hang a request when Redis is down: the sweep re-sends later.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BEAT_SCHEDULE = {
    "integration-sweep-outbox": {
        "task": "integration.tasks.sweep_outbox",
        "schedule": timedelta(seconds=env_int("BUS_SWEEP_INTERVAL_SECONDS", 10)),
    },
    "erp-purge-idempotency-records": {
        "task": "erp_core.tasks.purge_idempotency_records",
        "schedule": timedelta(hours=1),
    },
    **(
        {"crm-run-dunning": {"task": "crm.tasks.run_dunning", "schedule": timedelta(hours=24)}}
        if "crm" in ZHONGTAI_MODULES
        else {}
    ),
}

ZHONGTAI_BUS = {
    # Attempts per (event, receiver) before the delivery is parked as dead.
    "MAX_ATTEMPTS": env_int("BUS_MAX_ATTEMPTS", 5),
    # Backoff: base * 2**(attempt-1) seconds, capped.
    "BACKOFF_BASE_SECONDS": env_int("BUS_BACKOFF_BASE_SECONDS", 5),
    "BACKOFF_MAX_SECONDS": env_int("BUS_BACKOFF_MAX_SECONDS", 600),
    # The sweep re-sends events still undelivered this long after they were committed.
    "SWEEP_GRACE_SECONDS": env_int("BUS_SWEEP_GRACE_SECONDS", 30),
}

# --- Cache (throttling) ---------------------------------------------------------------------
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("CACHE_URL")}
        if env_str("CACHE_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bounded, strict JSON: too deep or not JSON is a 400, too big a 413 (never a 500).
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "common.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "erp_core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "6000/minute"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 90)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "zt_",
}
KNOX_TOKEN_MODEL = "knox.AuthToken"

SPECTACULAR_SETTINGS = {
    "TITLE": "Zhongtai API",
    "DESCRIPTION": "REST API of Zhongtai: ERP core, MES, WMS and CRM. Token or session auth.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "erp_core.models.Partner.Kind",
        # MES's and CRM's choices live apart from their models, importable when the module is
        # switched off.
        "DowntimeReasonEnum": "mes.choices.DowntimeReason",
        "MachineEventKindEnum": "mes.choices.MachineEventKind",
        "ActivityKindEnum": "crm.choices.ActivityKind",
        "WorkOrderStatusEnum": "mes.choices.WorkOrderStatus",
        "WorkOperationStatusEnum": "mes.choices.WorkOperationStatus",
        "MakeOrBuyEnum": "erp_core.models.Item.MakeOrBuy",
        "MrpRunKindEnum": "erp_core.planning.models.MrpRun.Kind",
        "PlannedOrderPegKindEnum": "erp_core.planning.models.PlannedOrderPeg.Kind",
        "ExceptionMessageKindEnum": "erp_core.planning.models.ExceptionMessage.Kind",
        "SupplyKindEnum": "erp_core.planning.models.ExceptionMessage.SupplyKind",
        "OpenSupplyKindEnum": "erp_core.planning.models.SupplyPeg.SupplyKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.strip_database_integer_bounds",
    ],
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Run eagerly (the embedded default), every task would log a line as it runs inline, and
        # kombu warns that the in-memory broker has no host name.
        **(
            {"celery.app.trace": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}}
            if CELERY_TASK_ALWAYS_EAGER
            else {}
        ),
    },
}
