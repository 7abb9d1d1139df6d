import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eig.settings")

app = Celery("eig")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
