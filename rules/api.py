"""API views of the knowledge base. Thin: validation and evaluation live in cases/rules."""

from rest_framework.response import Response
from rest_framework.views import APIView

from cases.profile import profile_clean
from rules.selectors import knowledge_base_get, profile_evaluate


class EvaluateView(APIView):
    """POST a contract profile; answers its evaluation. Nothing is stored."""

    def post(self, request):
        knowledge_base = knowledge_base_get()
        profile = profile_clean(data=request.data, marker_scales=knowledge_base.marker_scales)
        return Response(profile_evaluate(profile=profile, knowledge_base=knowledge_base))
