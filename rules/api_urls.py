"""The versioned API (/api/v1/)."""

urlpatterns: list = []
