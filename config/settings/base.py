"""Settings shared by every environment. Everything that varies comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "local-development-key-not-for-production-use-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "partnership.core.admin_apps.PartnershipAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "partnership.core",
    "partnership.accounts",
    "partnership.directory",
    "partnership.actions",
    "partnership.plans",
    "partnership.meetings",
    "partnership.outcomes",
    "partnership.reviews",
    "partnership.moderation",
    "partnership.goodpractice",
    "partnership.api",
    "partnership.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "partnership.accounts.middleware.RequireMFAMiddleware",
    "partnership.core.middleware.NoStoreForSignedInMiddleware",
    "partnership.core.middleware.DatabaseBusyMiddleware",
    # Axes last, so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnership.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. Every transaction takes the write lock when it begins, and a
    # writer waits up to 20 s for its turn, so simultaneous edits queue (and the version check
    # answers 409) instead of failing with "database is locked". WAL lets reads go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses authentication for locked-out username + IP pairs.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email sign-in, no public sign-up (accounts come from invitations).
ACCOUNT_ADAPTER = "partnership.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_FORMS = {
    "login": "partnership.accounts.forms.SignInForm",
    "reset_password": "partnership.accounts.forms.PasswordResetRequestForm",
    "reset_password_from_key": "partnership.accounts.forms.NewPasswordForm",
    "change_password": "partnership.accounts.forms.PasswordChangeForm",
    "reauthenticate": "partnership.accounts.forms.PasswordReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "partnership.accounts.forms.CodeForm",
    "reauthenticate": "partnership.accounts.forms.CodeReauthenticationForm",
    "activate_totp": "partnership.accounts.forms.AuthenticatorSetupForm",
}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[School partnership] "
# allauth's own throttle sits behind the axes lockout (5 failures per account and IP).
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,10/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "School partnership")
# When on, every signed-in account must set up an authenticator before seeing any page.
REQUIRE_MFA = env_bool("REQUIRE_MFA", False)

# API keys stop working this many days after they are made; their owners renew them on "Your account".
API_TOKEN_LIFETIME_DAYS = int(env("API_TOKEN_LIFETIME_DAYS", "90"))

# Reverse proxies in front of the app: each appends the address it saw to X-Forwarded-For, and
# only those entries are trusted (0: the app is reached directly, the header is ignored).
PROXY_COUNT = int(env("PROXY_COUNT", "0"))

# django-axes: lock a username + IP pair after a few failures, and an IP across every username
# (password spraying) after many more, so colleagues mistyping on one school's shared address
# do not lock the whole school out.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_IP_FAILURE_LIMIT = int(env("AXES_IP_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "partnership.accounts.lockout.AccountAndAddressLockoutHandler"
AXES_USERNAME_CALLABLE = "partnership.accounts.lockout.username_from_attempt"
AXES_CLIENT_IP_CALLABLE = "partnership.core.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "School partnership <no-reply@localhost>")

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
# With no broker configured tasks run in-process, so a laptop needs no Redis or worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# With Redis, `celery -A config beat` sends meeting reminders as they fall due (the demo, with no
# Redis, runs `manage.py send_meeting_reminders` instead).
CELERY_BEAT_SCHEDULE = {
    "meeting-reminders": {"task": "partnership.meetings.tasks.send_due_meeting_reminders", "schedule": 15 * 60},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnership.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "partnership.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "partnership.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_THROTTLE_RATE", "1000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "School partnership API",
    "DESCRIPTION": "Read the partnerships, schools, people, networks, actions, outcomes, plans, meetings, reviews, "
    "moderation (sessions, pseudonymised samples, judgements, comparative-judgement scales) and good practice "
    "(the register, schools' needs and the entries that could meet them, support requests, ledgers, buddy pairs) "
    "you are allowed to see. "
    "Authenticate with `Authorization: Token <key>`; make a key on your account page (Your account, "
    "API tokens) or with `manage.py create_api_token`. Keys expire.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Several models have a `kind` or a `status`: each set of choices gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "NetworkKindEnum": "partnership.directory.models.Network.Kind",
        "PlanKindEnum": "partnership.plans.models.ImprovementPlan.Kind",
        "ActionStatusEnum": "partnership.actions.models.Action.Status",
        "MeetingStatusEnum": "partnership.meetings.models.Meeting.Status",
        "AttendanceStatusEnum": "partnership.meetings.models.Attendance.Status",
        "ModerationSubjectEnum": "partnership.moderation.scales.SUBJECTS",
        "ModerationJudgementEnum": "partnership.moderation.models.JUDGEMENT_CHOICES",
        "RegisterEntryStatusEnum": "partnership.goodpractice.models.RegisterEntry.Status",
        "EntryEvidenceKindEnum": "partnership.goodpractice.models.EntryEvidence.Kind",
        "SupportRequestStatusEnum": "partnership.goodpractice.models.SupportRequest.Status",
        "SupportRequestImpactEnum": "partnership.goodpractice.models.SupportRequest.Impact",
        "SupportSessionKindEnum": "partnership.goodpractice.models.SupportSession.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partnership.api.schema.document_errors",
    ],
}

# Content Security Policy: only our own scripts and styles; inline scripts need the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SITE_NAME = env("SITE_NAME", "School partnership")
# Where the site is, for links in emails sent with no request to take it from (meeting reminders).
SITE_URL = env("SITE_URL").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "celery": {"level": "WARNING"}},
}

# Meetings: the largest paper accepted, and the domain part of calendar event UIDs.
MEETING_PAPER_MAX_BYTES = int(env("MEETING_PAPER_MAX_BYTES", str(10 * 1024 * 1024)))
CALENDAR_UID_DOMAIN = env("CALENDAR_UID_DOMAIN", "meetings.school-partnership")
