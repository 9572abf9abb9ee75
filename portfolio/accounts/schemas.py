"""msgspec Structs for log-in, users and two-factor log-in."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from portfolio.core.domain import (
    Role,
)
from portfolio.core.schemas import Email, Name, ShortText, Version

# -- log-in ---------------------------------------------------------------------------------


class LoginIn(msgspec.Struct):
    email: Annotated[str, Meta(min_length=1, max_length=200)]
    password: Annotated[str, Meta(min_length=1, max_length=500)]


class MeOut(msgspec.Struct):
    id: int
    email: str
    name: str
    role: Role
    organisation_id: int | None
    organisation_name: str | None


# -- people ---------------------------------------------------------------------------------


class UserOut(msgspec.Struct):
    id: int
    email: str
    name: str
    title: str
    role: Role
    organisation_id: int | None
    active: bool
    version: int


class UserCreate(msgspec.Struct):
    __email_fields__: ClassVar = ("email",)

    email: Email
    name: Name
    password: Annotated[str, Meta(min_length=10, max_length=500)]
    role: Role
    organisation_id: int | None = None
    title: ShortText = ""


class InvitationIn(msgspec.Struct):
    """A person invited by e-mail: they choose their own password with the link."""

    email: Email
    name: Name
    role: Role
    organisation_id: int | None = None
    title: ShortText = ""


class InvitationOut(msgspec.Struct):
    user: UserOut
    expires_at: dt.datetime


class ForgotIn(msgspec.Struct):
    email: Annotated[str, Meta(max_length=200)]


class NewPasswordIn(msgspec.Struct):
    token: Annotated[str, Meta(min_length=10, max_length=200)]
    password: Annotated[str, Meta(max_length=500)]


class UserUpdate(msgspec.Struct):
    version: Version
    name: Name | UnsetType = UNSET
    title: ShortText | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    organisation_id: int | UnsetType | None = UNSET
    active: bool | UnsetType = UNSET
    password: Annotated[str, Meta(min_length=10, max_length=500)] | UnsetType = UNSET


def user_out(row: dict[str, Any]) -> UserOut:
    return msgspec.convert({**row, "organisation_id": row["organisation"]}, UserOut, strict=False)


# -- two-factor log-in ----------------------------------------------------------------------


class CodeIn(msgspec.Struct):
    """A six-digit code from the authenticator app, or a recovery code."""

    code: Annotated[str, Meta(min_length=1, max_length=40)]


class TwoFactorStep(msgspec.Struct):
    """The password was right; send a code to `/api/auth/login/code` to finish logging in."""

    two_factor_required: bool = True


class TwoFactorStatus(msgspec.Struct):
    enabled: bool
    available: bool


class EnrolmentOut(msgspec.Struct):
    """The secret for the app, as text, as an otpauth:// link and as an SVG QR code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class RecoveryCodesOut(msgspec.Struct):
    """Shown once: each code logs in once instead of the app's code."""

    recovery_codes: list[str]
