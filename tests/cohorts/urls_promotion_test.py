"""The project's URLs with the promotion's screens mounted at /promotion/, as the
project will mount them (`@pytest.mark.urls("tests.cohorts.urls_promotion_test")`)."""

from django.urls import include, path

# Registered before the admin's URLs are built, as cohorts/admin.py will import it.
from cohorts import admin_promotion  # noqa: F401
from eig.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("promotion/", include("cohorts.urls_promotion")), *project_urlpatterns]
