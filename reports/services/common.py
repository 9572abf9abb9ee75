"""What the report and requisition use cases share: the clock, the JSON coding of a report's
content and a claim's lines and flags, and how a report is named in a sentence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from reports.domain.reports import REPORT_KIND_LABELS, ReportContent, ReportKind
from reports.domain.requisitions import RequisitionFlag, RequisitionLine


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def decode_report(raw: Any) -> ReportContent:
    if isinstance(raw, dict):
        return msgspec.convert(raw, ReportContent)
    return msgspec.json.decode(raw or "{}", type=ReportContent)


def _encode(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def decode_lines(raw: Any) -> list[RequisitionLine]:
    value = raw if isinstance(raw, list) else msgspec.json.decode(raw or "[]")
    return msgspec.convert(value, list[RequisitionLine])


def decode_flags(raw: Any) -> list[RequisitionFlag]:
    value = raw if isinstance(raw, list) else msgspec.json.decode(raw or "[]")
    return msgspec.convert(value, list[RequisitionFlag])


def report_label(row: dict[str, Any]) -> str:
    kind = ReportKind(row["kind"])
    if kind is ReportKind.QUARTERLY:
        return f"Kvartal {row['quarter']} {row['year']}"
    period = report_period(row)
    return f"{REPORT_KIND_LABELS[kind]} {period}" if period else REPORT_KIND_LABELS[kind]


def report_period(row: dict[str, Any]) -> str:
    """What a report covers, for a sentence: "kvartal 3 2026", a deviation's date, or nothing."""
    kind = ReportKind(row["kind"])
    if kind is ReportKind.QUARTERLY:
        return f"kvartal {row['quarter']} {row['year']}"
    if kind is ReportKind.DEVIATION:
        day = row.get("period_end") or row.get("created_at")
        return f"{day:%Y-%m-%d}" if day else ""
    return ""
