"""The benchmarks' URLs: the product's, plus the floor under /__bench__/ (bench settings only)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("__bench__/petit-gabarit/", views.small_template, name="bench_small"),
    path("__bench__/requete-indexee/", views.indexed_query, name="bench_indexed"),
    path("__bench__/tableau-50/", views.table_of_50, name="bench_table"),
    path("", include("eig.urls")),
]
