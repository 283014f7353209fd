# Kreyòl IA API image: non-root, no model baked in (mount one and set KREYOL_MODEL_DIR).
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/kreyol && /opt/kreyol/bin/pip install --no-cache-dir .

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --home /var/lib/kreyol kreyol \
    && mkdir -p /var/lib/kreyol && chown kreyol /var/lib/kreyol
COPY --from=build /opt/kreyol /opt/kreyol
ENV PATH=/opt/kreyol/bin:$PATH \
    KREYOL_DATA_DIR=/var/lib/kreyol \
    KREYOL_MODE=production \
    PYTHONUNBUFFERED=1
USER kreyol
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["kreyol", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
