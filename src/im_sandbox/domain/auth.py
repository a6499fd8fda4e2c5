"""Credentials shared by REST and msync: token issue/verification, password checks."""
from __future__ import annotations

import enum
import hmac

from ..config import SandboxConfig
from ..ids import now_ms
from ..store import APP, USER, Store, Token, User, check_password


class TokenState(enum.Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"


class Auth:
    def __init__(self, config: SandboxConfig, store: Store):
        self.config = config
        self.store = store

    # -- issuing -------------------------------------------------------------------------
    def issue_app_token(self, ttl: int | None = None) -> Token:
        return self.store.tokens.issue(APP, None, self.config.token_ttl if ttl is None else ttl)

    def issue_user_token(self, username: str, ttl: int | None = None) -> Token:
        return self.store.tokens.issue(USER, username, self.config.token_ttl if ttl is None else ttl)

    def client_id_matches(self, client_id: str) -> bool:
        return hmac.compare_digest(client_id.encode(), self.config.client_id.encode())

    def client_secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(secret.encode(), self.config.client_secret.encode())

    # -- verifying -----------------------------------------------------------------------
    def check_token(self, token: str) -> tuple[TokenState, Token | None]:
        found = self.store.tokens.get(token) if token else None
        if found is None:
            return TokenState.UNKNOWN, None
        if found.revoked:
            return TokenState.REVOKED, found
        if found.expired(now_ms()):
            return TokenState.EXPIRED, found
        return TokenState.VALID, found

    @staticmethod
    def password_matches(user: User, password: str) -> bool:
        return check_password(password, user.password)
