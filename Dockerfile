# PAR Index production image: gunicorn (web), Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=parindex.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# WeasyPrint's libraries, and the Times-New-Roman-metric fonts for the reports
# (the bundled static/fonts are used by @font-face; fonts-liberation2 covers everything else).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig \
      fonts-liberation2 poppler-utils postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 parindex && mkdir -p /data/media && chown parindex /data/media
WORKDIR /app
COPY pyproject.toml README.md ./
COPY parindex ./parindex
COPY communes ./communes
COPY reports ./reports
RUN pip install --upgrade pip && pip install .
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0

USER parindex
EXPOSE 8000
CMD ["gunicorn", "parindex.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
