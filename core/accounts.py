"""How allauth treats MiGlobe's accounts."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.utils import translation
from django.utils.html import strip_tags

from .outbox import enqueue


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failed logins per account *from one client address*.

        allauth counts them per account alone, so anyone who knows an address could lock
        its owner out by typing wrong passwords. Keyed by account and address, the
        attacker is slowed down (five tries per five minutes, on top of the limits per
        address in ACCOUNT_RATE_LIMITS) while the owner, elsewhere, still gets in.
        """
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (confirmation, password reset, security notices) go through the outbox.

        Rendered as allauth renders them, in the language of the page the person is on;
        written as a row, so a mail server or broker that is down delays them instead
        of failing the sign-up with a 500.
        """
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(content) for content, kind in message.alternatives if kind == "text/html"), ""
            )
        text = str(message.body)
        if message.content_subtype == "html":
            html, text = text, strip_tags(text)
        enqueue(
            to=message.to,
            subject=str(message.subject),
            text=text,
            html=html,
            kind="account:" + template_prefix.rsplit("/", 1)[-1],
            language=translation.get_language() or "",
            secret=True,
        )
