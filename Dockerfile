# The bilateral app. Its default command, `bilateral serve`, runs the scheduled
# refresh and briefing against the Prefect server named by PREFECT_API_URL.
# docker-compose.yml starts it next to that server; docs/deployment.md explains.
FROM python:3.11-slim-bookworm

# WeasyPrint 70 loads Pango (>= 1.44; bookworm has 1.50), PangoFT2, HarfBuzz and
# HarfBuzz-subset from the system when it renders, and fontconfig needs a font.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The Prefect client here and the server image in docker-compose.yml must be the
# same release; compose passes the version it pins for the server.
ARG PREFECT_VERSION=3.9.1

# Code first, data files after: editing sql/ or reports/ does not reinstall.
COPY pyproject.toml README.md ./
COPY bilateral ./bilateral
COPY flows ./flows
RUN pip install --no-cache-dir . "prefect==${PREFECT_VERSION}" \
 && rm -rf build ./*.egg-info \
 && weasyprint --info > /dev/null
COPY bilateral.toml ./
COPY sql ./sql
COPY reports ./reports
COPY data ./data

RUN useradd --create-home --uid 10001 --user-group bilateral \
 && mkdir /data \
 && chown bilateral:bilateral /data

# BILATERAL_ROOT: the installed package finds sql/, reports/, data/ and
#   bilateral.toml here, not beside site-packages.
# PREFECT_RUNNER_SERVER_*: `serve` answers GET /health on 127.0.0.1:8080 with
#   503 once it has missed its polls of the API; the HEALTHCHECK reads it.
ENV PREFECT_SERVER_ANALYTICS_ENABLED=false \
    DO_NOT_TRACK=1 \
    PREFECT_SERVER_EPHEMERAL_ENABLED=false \
    PREFECT_RUNNER_SERVER_ENABLE=true \
    PREFECT_RUNNER_SERVER_HOST=127.0.0.1 \
    PREFECT_RUNNER_SERVER_PORT=8080 \
    BILATERAL_HOME=/data \
    BILATERAL_ROOT=/app

USER bilateral
VOLUME /data

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:8080/health', timeout=5)"]

CMD ["bilateral", "serve"]
