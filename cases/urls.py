from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("cases/<str:code>/", views.case_detail, name="detail"),
]
