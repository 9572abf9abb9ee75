from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class User(Table, tablename="app_user", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-03T16:56:08:389399"
VERSION = "1.38.0"
DESCRIPTION = ""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="portfolio", description=DESCRIPTION)

    manager.add_table(class_name="RateEvent", tablename="rate_event", schema=None, columns=None)

    manager.add_table(
        class_name="AccountLink",
        tablename="account_link",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="RateEvent",
        tablename="rate_event",
        column_name="key",
        db_column_name="key",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 250,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="RateEvent",
        tablename="rate_event",
        column_name="at",
        db_column_name="at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="AccountLink",
        tablename="account_link",
        column_name="user",
        db_column_name="user",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": User,
            "on_delete": OnDelete.cascade,
            "on_update": OnUpdate.cascade,
            "target_column": None,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="AccountLink",
        tablename="account_link",
        column_name="purpose",
        db_column_name="purpose",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 20,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="AccountLink",
        tablename="account_link",
        column_name="token_hash",
        db_column_name="token_hash",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": True,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="AccountLink",
        tablename="account_link",
        column_name="created_at",
        db_column_name="created_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="AccountLink",
        tablename="account_link",
        column_name="expires_at",
        db_column_name="expires_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="AccountLink",
        tablename="account_link",
        column_name="used_at",
        db_column_name="used_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="AccountLink",
        tablename="account_link",
        column_name="withdrawn_at",
        db_column_name="withdrawn_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.alter_column(
        table_class_name="MailTemplateEdit",
        tablename="mail_template_edit",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "MailKind",
                {
                    "NOTICE": "notice",
                    "COMPLETION_REQUEST": "completion_request",
                    "DECISION": "decision",
                    "APPLICATION_SUBMITTED": "application_submitted",
                    "REPORT_DUE": "report_due",
                    "REPORT_LATE": "report_late",
                    "REPORT_ARRIVED": "report_arrived",
                    "INVITATION": "invitation",
                    "PASSWORD_RESET": "password_reset",
                },
            )
        },
        old_params={
            "choices": Enum(
                "MailKind",
                {
                    "NOTICE": "notice",
                    "COMPLETION_REQUEST": "completion_request",
                    "DECISION": "decision",
                    "APPLICATION_SUBMITTED": "application_submitted",
                    "REPORT_DUE": "report_due",
                    "REPORT_LATE": "report_late",
                    "REPORT_ARRIVED": "report_arrived",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="OutgoingMail",
        tablename="outgoing_mail",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "MailKind",
                {
                    "NOTICE": "notice",
                    "COMPLETION_REQUEST": "completion_request",
                    "DECISION": "decision",
                    "APPLICATION_SUBMITTED": "application_submitted",
                    "REPORT_DUE": "report_due",
                    "REPORT_LATE": "report_late",
                    "REPORT_ARRIVED": "report_arrived",
                    "INVITATION": "invitation",
                    "PASSWORD_RESET": "password_reset",
                },
            )
        },
        old_params={
            "choices": Enum(
                "MailKind",
                {
                    "NOTICE": "notice",
                    "COMPLETION_REQUEST": "completion_request",
                    "DECISION": "decision",
                    "APPLICATION_SUBMITTED": "application_submitted",
                    "REPORT_DUE": "report_due",
                    "REPORT_LATE": "report_late",
                    "REPORT_ARRIVED": "report_arrived",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
