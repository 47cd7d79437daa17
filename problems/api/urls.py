from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from .views import ProblemViewSet, StudioViewSet

router = DefaultRouter()
router.register("studios", StudioViewSet, basename="api-studio")
router.register("problems", ProblemViewSet, basename="api-problem")


@csrf_exempt  # it changes nothing, whatever the method
def not_found(request, rest=""):
    """Any other address under /api/ answers in JSON too."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("v1/", include(router.urls)),
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),
]
