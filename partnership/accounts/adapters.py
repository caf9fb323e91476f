from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from partnership.core.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by invitation only: there is no public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits count the same client address as the lockout (not X-Forwarded-For's left-most)."""
        return client_ip(request)
