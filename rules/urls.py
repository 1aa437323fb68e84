"""The rules app's pages: the knowledge browser."""

from django.urls import path

from rules import views

urlpatterns = [
    path("knowledge/", views.knowledge_index, name="knowledge"),
]
