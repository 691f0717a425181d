"""The OpenID Connect client side of signing in with an organisation's own accounts, all of
the protocol done by Authlib: the authorisation code flow with PKCE, state and nonce, the
code exchanged for tokens, and the ID token's signature, issuer, audience, expiry and nonce
checked against the provider's published keys.

The provider's discovery document is read (and checked: see `sign_in_providers.discover`)
on each sign-in, so a provider that moves its endpoints or rotates its keys needs no change
here. State, nonce and PKCE verifier wait in the session, and are used up by the callback,
so a callback address used twice is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app, request, session
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from requests import RequestException
from werkzeug.wrappers import Response

from .. import provider_accounts, sign_in_providers
from ..addresses import absolute_url
from ..extensions import db
from ..formatting import N_
from ..languages import current_language
from ..models import SignInProvider

# The session key for the sign-in under way: which provider, and where to go afterwards.
FLOW = "provider_sign_in"
# The language of the page a provider's sign-in started on, kept until the person is signed in.
LANGUAGE = "provider_sign_in_language"
# The session key, once signed in, for signing out at the provider too.
SIGN_OUT = "provider_sign_out"

UNREACHABLE = N_(
    "The register could not reach your organisation’s sign-in service. Try again in a few "
    "minutes; if it goes on, tell your organisation’s IT service desk."
)
NOT_TRUSTED = N_(
    "The register could not confirm who you are: the answer from your organisation’s "
    "sign-in service did not pass its checks. Sign in again."
)
USED_ALREADY = N_(
    "This sign-in has been used already or has expired. Start again from the sign-in page."
)

# What a failed claim means, for the security log.
CLAIM_PROBLEMS = {
    "iss": "The ID token is from another issuer",
    "aud": "The ID token is for another client",
    "azp": "The ID token is for another client",
    "nonce": "The ID token belongs to another sign-in (replayed)",
    "iat": "The ID token's time is wrong",
}


@dataclass(frozen=True)
class ProviderAnswer:
    """What a checked callback gives: the provider, the ID token's claims, and the token."""

    provider: SignInProvider
    claims: dict[str, Any]
    id_token: str
    end_session_endpoint: str | None


def _client(provider: SignInProvider, metadata: dict[str, Any]) -> FlaskOAuth2App:
    name = f"provider{provider.id}"
    client = FlaskOAuth2App(
        FlaskIntegration(name),
        name=name,
        client_id=provider.client_id,
        client_secret=sign_in_providers.client_secret_of(provider),
        client_kwargs={
            "scope": sign_in_providers.SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": current_app.config["SIGN_IN_PROVIDER_TIMEOUT"],
        },
    )
    # The checked discovery document, so Authlib neither reads nor trusts another.
    client.server_metadata = dict(metadata)
    return client


def _metadata(provider: SignInProvider) -> dict[str, Any]:
    try:
        return sign_in_providers.discover(provider.issuer)
    except sign_in_providers.ProviderUnavailable as error:
        raise provider_accounts.refuse(
            UNREACHABLE, str(error), provider=provider, status=502
        ) from None


def redirect_to_provider(provider: SignInProvider, email: str, next_path: str | None) -> Response:
    """Send the person to their provider's sign-in page; `SignInRefused` (logged) when the
    provider cannot be reached."""
    metadata = _metadata(provider)
    if metadata["authorization_endpoint"] != provider.authorization_endpoint:
        # Kept for the sign-in page's Content-Security-Policy (where its form may lead).
        provider.authorization_endpoint = metadata["authorization_endpoint"]
        db.session.commit()
    session[FLOW] = {"provider": provider.id, "next": next_path}
    session[LANGUAGE] = current_language()
    return _client(provider, metadata).authorize_redirect(
        absolute_url("auth.provider_callback"), login_hint=email
    )


def _refused(provider: SignInProvider, message: str, detail: str, status: int = 403) -> Exception:
    return provider_accounts.refuse(message, detail, provider=provider, status=status)


def finish(flow: object) -> ProviderAnswer:
    """Check the provider's answer at the callback, with Authlib; `SignInRefused` (logged)
    for every failure, having changed nothing."""
    provider_id = flow.get("provider") if isinstance(flow, dict) else None
    provider = db.session.get(SignInProvider, provider_id) if isinstance(provider_id, int) else None
    if provider is None:
        if "state" not in request.args and "code" not in request.args:
            # A visit, not an answer from a provider: nothing to note in the log.
            raise provider_accounts.SignInRefused(USED_ALREADY, "Not an answer from a provider")
        raise provider_accounts.refuse(USED_ALREADY, "No sign-in was under way in this session")
    metadata = _metadata(provider)
    try:
        token = _client(provider, metadata).authorize_access_token()
    except MismatchingStateError:
        raise _refused(provider, USED_ALREADY, "State missing or used already") from None
    except OAuthError as error:
        detail = f"The provider refused: {error.error} {error.description or ''}".strip()
        if error.error == "access_denied":
            message = N_("You did not finish signing in with your organisation’s account.")
        else:
            message = NOT_TRUSTED
        raise _refused(provider, message, detail) from None
    except RequestException as error:
        detail = f"The provider’s token or keys could not be fetched ({type(error).__name__})"
        raise _refused(provider, UNREACHABLE, detail, 502) from None
    except ExpiredTokenError:
        raise _refused(provider, NOT_TRUSTED, "The ID token has expired") from None
    except ClaimError as error:
        detail = CLAIM_PROBLEMS.get(error.claim, "ID token")
        raise _refused(provider, NOT_TRUSTED, f"{detail}: {error.description}") from None
    except JoseError as error:
        detail = f"The ID token is badly signed or malformed: {error.error}"
        raise _refused(provider, NOT_TRUSTED, detail) from None
    claims = token.get("userinfo")
    if not claims or not token.get("id_token"):
        raise _refused(provider, NOT_TRUSTED, "The provider sent no ID token")
    return ProviderAnswer(
        provider=provider,
        claims=dict(claims),
        id_token=token["id_token"],
        end_session_endpoint=metadata.get("end_session_endpoint"),
    )


def remember_for_sign_out(answer: ProviderAnswer) -> None:
    """Keep what signing out at the provider needs, if it offers that."""
    if answer.end_session_endpoint:
        session[SIGN_OUT] = {
            "endpoint": answer.end_session_endpoint,
            "id_token": answer.id_token,
            "client_id": answer.provider.client_id,
        }


def sign_out_address(kept: object) -> str | None:
    """Where to send someone signing out to end their session at the provider too: its
    end-session endpoint, with the ID token as a hint and the register's home page to
    come back to; None when they did not sign in through a provider that offers one."""
    if not isinstance(kept, dict) or not isinstance(kept.get("endpoint"), str):
        return None
    params = {
        "id_token_hint": kept.get("id_token"),
        "client_id": kept.get("client_id"),
        "post_logout_redirect_uri": absolute_url("public.home"),
    }
    return add_params_to_uri(kept["endpoint"], [(k, v) for k, v in params.items() if v])
