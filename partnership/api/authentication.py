from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from partnership.accounts.models import ApiToken
from partnership.accounts.second_factor import may_use_api_token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`; keys are stored hashed, expire, and can be revoked."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("This token has expired. Make a new one on your account page.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        if token.user.disabled_at is not None and token.created_at <= token.user.disabled_at:
            # Disabling ends a key for good, however the account was disabled.
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if not may_use_api_token(token.user):
            raise exceptions.AuthenticationFailed(
                "Set up two-step sign-in on your account before using an API token: it is required here."
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
