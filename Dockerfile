# The MiGlobe portal: one image for web (gunicorn), worker and beat (Celery).
# Configuration comes from the environment at run time (see .env.example and
# docker-compose.yml); no secret is ever written into the image.
FROM python:3.11-slim

# PYTHONPATH: the source tree in /app, not the copy pip puts into site-packages,
# is what runs, since the settings find templates/, static/ and locale/ next to it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=miglobe.settings.production \
    PYTHONPATH=/app

WORKDIR /app

RUN groupadd --system miglobe \
    && useradd --system --gid miglobe --home-dir /app --no-create-home --shell /usr/sbin/nologin miglobe

# Dependencies first, in their own layer: it is rebuilt only when the pins change.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -c requirements.lock -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install -c requirements.lock .

# Translations and static files are built into the image. Importing the
# production settings needs a SECRET_KEY; this throw-away one exists only for
# these two commands and is not part of the image's environment.
RUN SECRET_KEY=build-time-only-not-a-secret python manage.py compile_translations \
    && SECRET_KEY=build-time-only-not-a-secret python manage.py collectstatic --noinput --verbosity 0

# Uploads (receipts) are written at run time; docker-compose.yml mounts a volume here.
RUN mkdir -p /app/media && chown miglobe:miglobe /app/media

USER miglobe

EXPOSE 8000

CMD ["gunicorn", "miglobe.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
