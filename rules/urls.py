"""The rules app's pages: the knowledge browser."""

from django.urls import path

from rules import views

urlpatterns = [
    path("knowledge/", views.knowledge_index, name="knowledge"),
    path("knowledge/releases/", views.release_index, name="knowledge-releases"),
    path("knowledge/releases/<str:name>/", views.release_detail, name="knowledge-release"),
]
