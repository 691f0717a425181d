"""Email alerts: anyone, without an account, follows a search of the public register.

- `subscriptions.py`: asking for alerts (a confirmation email, double opt-in), confirming,
  unsubscribing, and the signed links that do so;
- `searches.py`: a followed search, kept as its canonical query string, and its summary;
- `digest.py`: `send_alerts`, run by `flask register send-alerts`: for each subscription
  that is due, one email listing what changed in the change log among the entries its
  search finds.

Emails join the outbox (`register.mail`) in the transaction that causes them.
"""

from .digest import AlertRun, send_alerts
from .searches import FollowedSearch, SearchTooLong, followed
from .subscriptions import (
    CONFIRMATION_LIFETIME,
    FREQUENCY_WORDS,
    LinkProblem,
    SubscribeError,
    confirm,
    confirmation_for,
    delete_unconfirmed,
    subscribe,
    unsubscribe,
    unsubscribe_link,
    unsubscribing,
)

__all__ = [
    "CONFIRMATION_LIFETIME",
    "FREQUENCY_WORDS",
    "AlertRun",
    "FollowedSearch",
    "LinkProblem",
    "SearchTooLong",
    "SubscribeError",
    "confirm",
    "confirmation_for",
    "delete_unconfirmed",
    "followed",
    "send_alerts",
    "subscribe",
    "unsubscribe",
    "unsubscribe_link",
    "unsubscribing",
]
