FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
    && SECRET_KEY=build python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build python manage.py collectstatic --noinput
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
