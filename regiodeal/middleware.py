"""Response headers the portal sets on top of Django's SecurityMiddleware."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class PermissionsPolicyMiddleware:
    """Every response says the portal uses no camera, microphone, location and the like.

    Listed before WhiteNoise, so static files carry the header too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        return response


class NoStoreWhenLoggedInMiddleware:
    """Nothing a logged-in user sees is kept by the browser or a proxy (shared computers,
    the back button after logging out): pages, downloads and documents alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
