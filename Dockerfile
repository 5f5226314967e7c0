# Vraagbaak bot image: built in one stage with compilers, run in a slim one without them.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY bot bot
COPY flows flows
COPY handoff handoff
COPY storage storage
COPY knowledge knowledge
COPY playground playground
COPY web web
COPY locales locales
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir -c constraints.txt . \
 && /opt/venv/bin/pybabel compile --domain messages --directory locales

FROM python:3.11-slim AS runtime
RUN useradd --create-home --uid 10001 vraagbaak && mkdir /data && chown vraagbaak /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/locales /opt/venv/share/vraagbaak/locales
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    VRAAGBAAK_DATA_DIR=/data
USER vraagbaak
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
CMD ["vraagbaak", "run"]
