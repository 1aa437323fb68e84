"""Site-wide URLs: health check, sign-in pages, the language switcher and the API-token page;
the token API."""

from django.urls import include, path

from core import api, views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("accounts/token/", views.token, name="account-token"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("language/", views.language_switch, name="language-switch"),
    path("accounts/", include("django.contrib.auth.urls")),
]

api_urlpatterns = [
    path("token/", api.TokenObtainView.as_view(), name="token"),
]
