"""Bearer tokens: opaque random strings, app or user, with expiry and revocation."""
from __future__ import annotations

from dataclasses import dataclass

from ..ids import new_token, now_ms
from .db import Database

APP = "app"
USER = "user"


@dataclass(slots=True)
class Token:
    token: str
    kind: str
    username: str | None
    created: int
    expires: int  # epoch ms, 0 = never
    revoked: bool

    def expired(self, now: int | None = None) -> bool:
        return self.expires != 0 and (now if now is not None else now_ms()) >= self.expires


class TokenStore:
    def __init__(self, db: Database):
        self.db = db

    def issue(self, kind: str, username: str | None, ttl_seconds: int) -> Token:
        now = now_ms()
        expires = now + ttl_seconds * 1000 if ttl_seconds > 0 else 0
        token = Token(new_token(), kind, username, now, expires, False)
        self.db.write(
            "INSERT INTO tokens (token, kind, username, created, expires, revoked) VALUES (?, ?, ?, ?, ?, 0)",
            (token.token, kind, username, now, expires),
        )
        return token

    def get(self, token: str) -> Token | None:
        row = self.db.one(
            "SELECT token, kind, username, created, expires, revoked FROM tokens WHERE token = ?", (token,)
        )
        return Token(row[0], row[1], row[2], row[3], row[4], bool(row[5])) if row else None

    def revoke_user(self, username: str) -> int:
        return self.db.write("UPDATE tokens SET revoked = 1 WHERE username = ? AND revoked = 0", (username,))

    def delete_user(self, username: str) -> None:
        self.db.write("DELETE FROM tokens WHERE username = ?", (username,))
