"""OpenAPI generation: every operation documents the errors it can answer."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

ERROR_BODY = {
    "type": "object",
    "description": "Errors: `detail`, or each offending field with what it accepts.",
    "additionalProperties": True,
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "429"]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        for code in codes:
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(response=ERROR_BODY, description="Error"),
                    code,
                    direction=direction,
                ),
            )
        return responses
