"""How allauth treats MiGlobe's accounts."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failed logins per account *from one client address*.

        allauth counts them per account alone, so anyone who knows an address could lock
        its owner out by typing wrong passwords. Keyed by account and address, the
        attacker is slowed down (five tries per five minutes, on top of the limits per
        address in ACCOUNT_RATE_LIMITS) while the owner, elsewhere, still gets in.
        """
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"
