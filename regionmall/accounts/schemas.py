"""API request/response shapes for authentication."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field, field_validator

from regionmall.accounts.mobile import normalise_mobile


class PasswordLoginIn(Schema):
    login: str = Field(min_length=1, max_length=150, description="username or mobile number")
    password: str = Field(min_length=1, max_length=128)


class MobileIn(Schema):
    mobile: str = Field(max_length=20)

    @field_validator("mobile")
    @classmethod
    def _mobile(cls, value: str) -> str:
        return normalise_mobile(value)


class SmsLoginIn(MobileIn):
    code: str = Field(min_length=4, max_length=8)


class RefreshIn(Schema):
    refresh: str = Field(min_length=10, max_length=2000)


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    mobile: str | None
    role: str


class TokenOut(Schema):
    access: str
    refresh: str
    token_type: str
    expires_in: int
    user: UserOut


class MessageOut(Schema):
    message: str
