"""The API's account endpoint: exchange a username and password for a token."""

from django.contrib.auth import get_user_model
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from core.throttling import AnonThrottle


class TokenRequestSerializer(AuthTokenSerializer):
    """A username no longer than a user's can be: longer ones are refused before sign-in is
    tried (django-axes records failed usernames in a 255-character column)."""

    username = serializers.CharField(
        label="Username",
        write_only=True,
        max_length=get_user_model()._meta.get_field("username").max_length,
    )


class TokenObtainView(ObtainAuthToken):
    """Exchange username and password for an API token (guarded by django-axes)."""

    throttle_classes = [AnonThrottle]
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except serializers.ValidationError:
            # django-axes refuses locked-out credentials before checking them; say so.
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                return Response(
                    {"detail": "Too many failed sign-ins: this account is locked for a while."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
