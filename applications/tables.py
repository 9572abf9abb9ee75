"""The application tables: the living draft, its frozen submitted versions, and attachments."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from applications.domain import ApplicationKind, ApplicationStatus
from portfolio.core.tables import Initiative, Organisation, User


class Application(Table):
    """An application for an insats; `content` is the current draft (ApplicationContent as JSON)."""

    id: Serial
    initiative = ForeignKey(references=Initiative, null=False, on_delete=OnDelete.restrict)
    organisation = ForeignKey(
        references=Organisation, null=False, on_delete=OnDelete.restrict
    )  # the lead owner's organisation
    kind = Varchar(length=20, choices=ApplicationKind)
    status = Varchar(
        length=30, choices=ApplicationStatus, default=ApplicationStatus.DRAFT, index=True
    )
    extends: ForeignKey[Application] = ForeignKey(
        references="self", null=True, on_delete=OnDelete.set_null
    )
    title = Varchar(length=300, default="")
    applied_amount = Integer(default=0)
    content = JSON(default="{}")
    completion_message = Text(default="")
    version = Integer(default=1)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)
    # Arrived by e-mail or on paper and registered by the office on the organisation's behalf.
    registered_by_office = Boolean(default=False)
    received_on = Date(null=True, default=None)


class ApplicationVersion(Table):
    """A submitted version, frozen: it is written once and never updated."""

    id: Serial
    # Submitted versions are the record: an application with versions cannot be deleted.
    application = ForeignKey(references=Application, null=False, on_delete=OnDelete.restrict)
    number = Integer()
    content = JSON()
    applied_amount = Integer(default=0)
    submitted_at = Timestamptz(default=TimestamptzNow())
    submitted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class Attachment(Table):
    """A file attached to an application, stored on disk by its checksum."""

    id: Serial
    application = ForeignKey(references=Application, null=False, on_delete=OnDelete.restrict)
    filename = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    sha256 = Varchar(length=64)
    uploaded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    uploaded_at = Timestamptz(default=TimestamptzNow())
