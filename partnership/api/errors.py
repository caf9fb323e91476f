from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from partnership.core.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become 400s with their user-facing message; everything else as DRF does."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, "field": exc.field}, status=400)
    return drf_exception_handler(exc, context)
