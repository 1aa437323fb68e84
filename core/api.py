"""The API's account endpoint: exchange a username and password for a token."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.parsers import SafeJSONParser
from core.services import api_token_issue
from core.throttling import AnonThrottle


class CredentialsSerializer(AuthTokenSerializer):
    """A username no longer than a user's can be: longer ones are refused before sign-in is
    tried (django-axes records failed usernames in a 255-character column)."""

    username = serializers.CharField(
        label="Username",
        write_only=True,
        max_length=get_user_model()._meta.get_field("username").max_length,
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`. It is shown only here: the "
        "server keeps a digest."
    )
    expiry = serializers.DateTimeField(
        help_text="When the token dies unless used before then: each use moves this on, "
        "up to the token's lifetime. A password change ends it at once."
    )


class TokenObtainView(APIView):
    """Exchange username and password for a new API token (guarded by django-axes). Each
    call issues another token; a user keeps the newest few (settings.API_TOKENS_PER_USER)."""

    throttle_classes = [AnonThrottle]
    # Anonymous by nature. Forms are still read, but the schema documents JSON only, so
    # generated clients have one request shape.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request={"application/json": CredentialsSerializer},
        responses={200: TokenSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = CredentialsSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except serializers.ValidationError:
            # django-axes refuses locked-out credentials before checking them; say so.
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                raise exceptions.Throttled(
                    wait=settings.AXES_COOLOFF_TIME * 3600,
                    detail=gettext("Too many failed sign-ins: this account is locked for a while."),
                ) from None
            raise
        token = api_token_issue(user=serializer.validated_data["user"], replace=False)
        expiry = timezone.now() + settings.API_TOKEN_IDLE_TIMEOUT
        return Response({"token": token, "expiry": expiry})
