"""Reading channel statements into one shape (pure: bytes in, :class:`ParsedStatement` out).

Layouts, as the channels really export them:

**WeChat Pay trade bill** (交易账单, ``bill_type=ALL``; UTF-8, sometimes with a BOM). A header
row of Chinese column names, then one row per payment (``交易状态`` ``SUCCESS``) or refund
(``REFUND``), every value prefixed with a backtick (`````) so spreadsheets keep long numbers
as text, then a summary: a header row starting ``总交易单数`` and one row of totals. We take
``商户订单号`` (our payment number), ``微信订单号``, ``商户退款单号`` (our refund number),
``微信退款单号``, ``订单金额`` for payments (what we asked for; ``应结订单金额`` nets out
channel coupons, which we never use), ``申请退款金额`` for refunds (what we asked back) and
``手续费`` (the channel fee; negative on refunds). The summary's ``总交易单数`` must equal the
number of rows, or the file is refused as truncated.

**Alipay bills** (GBK, comment lines starting with ``#``, values padded with tabs):

- 业务明细 (business details): ``#支付宝业务明细查询``, ``#账号：[...]``,
  ``#起始日期：[2026年01月05日 00:00:00]   终止日期：[2026年01月06日 00:00:00]``, a
  ``#----业务明细列表----`` rule, the header ``支付宝交易号,商户订单号,业务类型,...``, rows
  (``业务类型`` 交易 = payment, 退款 = refund with its ``退款批次号/请求号`` = our refund
  number and a negative ``商家实收``), then ``#----业务明细列表结束----`` and totals
  (``#交易合计：2笔，...`` ``#退款合计：1笔，...``) that must agree with the rows.
  ``服务费（元）`` is the fee, negative when charged.
- 账务明细 (account details): ``账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,
  收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注``; 业务类型 在线支付/交易
  (payment), 交易退款/退款 (refund), 分账 (split share out), 收费/服务费 (fee).

**Bank statements** for corporate transfers, either our documented layout (UTF-8 or GBK)::

    date,amount,payer_name,payer_account,remark,serial
    2026-01-05,12800.00,金华某某贸易有限公司,33050161000000001234,货款 RMK7H3QX9P,
    (``amount`` negative for money going out; ``serial`` optional)

or a Chinese bank's export: any preamble lines, then a header with ``交易日期`` (or 交易时间 /
记账日期), ``贷方发生额`` (money in) and ``借方发生额`` (money out) — or one ``交易金额`` column
with ``借贷标志`` 借/贷 — ``对方户名``, ``对方账号``, ``摘要``, ``附言`` / ``用途`` / ``备注``,
optionally ``流水号``; rows end at a ``合计`` row or the end of the file.

Times on statements are Beijing time whatever the deployment's zone.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from regionmall.core.errors import ValidationFailed
from regionmall.core.money import MoneyError, to_fen

BEIJING = ZoneInfo("Asia/Shanghai")
MAX_ERRORS = 20

WECHAT = "wechat"
ALIPAY_BUSINESS = "alipay_business"
ALIPAY_ACCOUNT = "alipay_account"
BANK = "bank"
LAYOUT_CHANNEL = {WECHAT: "wechat", ALIPAY_BUSINESS: "alipay", ALIPAY_ACCOUNT: "alipay",
                  BANK: "transfer"}

# Line kinds (same values as models.reconciliation.LineKind).
PAYMENT, REFUND, SPLIT, FEE, CREDIT, DEBIT, OTHER = (
    "payment", "refund", "split", "fee", "credit", "debit", "other")


@dataclass
class ParsedLine:
    line_no: int                     # 1-based row number in the file
    line_key: str                    # the row's identity at its channel
    kind: str
    occurred_at: datetime | None = None
    our_number: str = ""             # payment number; for bank credits: the reference found
    channel_no: str = ""
    refund_number: str = ""
    channel_refund_no: str = ""
    amount_fen: int = 0              # positive
    fee_fen: int = 0                 # charged to us: positive; given back: negative
    counterparty_name: str = ""
    counterparty_account: str = ""
    remark: str = ""
    status: str = ""                 # the channel's own state text (e.g. 退款状态)
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedStatement:
    layout: str
    encoding: str
    lines: list[ParsedLine]
    period_start: datetime | None = None
    period_end: datetime | None = None
    summary: dict[str, str] = field(default_factory=dict)

    @property
    def channel(self) -> str:
        return LAYOUT_CHANNEL[self.layout]


class _Errors:
    """Collects row errors; the whole file is refused when there is any."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, line_no: int, message: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(_("Line %(line)s: %(message)s") % {"line": line_no,
                                                                 "message": message})

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(_("The statement could not be read; nothing was imported."),
                                   code="statement_invalid", fields={"file": self.items})


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(_("The statement could not be read; nothing was imported."),
                            code="statement_invalid", fields={"file": [message]})


# --- text and cells -------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes, else GB18030 (a superset of GBK, which
    Alipay and most banks export)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as exc:
        raise _refuse(_("The file is neither UTF-8 nor GBK text.")) from exc


def cell(value: Any) -> str:
    """Strip WeChat's backtick, Alipay's tab padding, spaces and a leading '=' some banks use
    to stop spreadsheets turning account numbers into numbers (``="6222..."``)."""
    text = str(value or "").replace("\t", " ").strip()
    if text.startswith("`"):
        text = text[1:].strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text


def _header(name: str) -> str:
    return re.sub(r"\s+", "", cell(name)).replace("(", "（").replace(")", "）")


def fen(value: str, *, line_no: int, column: str, errors: _Errors, blank_ok: bool = True
        ) -> int:
    """Yuan text (``1,234.56``, ``-0.60``, ``¥12.00``, ``0.00000``) to signed fen."""
    text = cell(value).replace("¥", "").replace("￥", "").replace("元", "").strip()
    if not text or text in {"-", "--"}:
        if not blank_ok:
            errors.add(line_no, _("%(column)s is empty.") % {"column": column})
        return 0
    try:
        return to_fen(text)
    except MoneyError:
        errors.add(line_no, _("%(column)s is not an amount: %(value)s") % {
            "column": column, "value": text[:30]})
        return 0


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M",
                 "%Y%m%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y年%m月%d日 %H:%M:%S", "%Y-%m-%d",
                 "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d")


def when(value: str, *, line_no: int, column: str, errors: _Errors) -> datetime | None:
    text = re.sub(r"\s+", " ", cell(value))
    if not text:
        errors.add(line_no, _("%(column)s is empty.") % {"column": column})
        return None
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=BEIJING)
        except ValueError:
            continue
    errors.add(line_no, _("%(column)s is not a date: %(value)s") % {
        "column": column, "value": text[:30]})
    return None


def day_span(lines: Iterable[ParsedLine]) -> tuple[datetime | None, datetime | None]:
    """The whole Beijing days the lines fall on: [first day 00:00, last day + 1 00:00)."""
    days = [line.occurred_at.astimezone(BEIJING).date() for line in lines if line.occurred_at]
    if not days:
        return None, None
    return _midnight(min(days)), _midnight(max(days) + timedelta(days=1))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def bill_day(day: date) -> tuple[datetime, datetime]:
    return _midnight(day), _midnight(day + timedelta(days=1))


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _index(header: Sequence[str]) -> dict[str, int]:
    return {_header(name): i for i, name in enumerate(header) if _header(name)}


def _get(row: Sequence[str], index: dict[str, int], *names: str) -> str:
    for name in names:
        i = index.get(name)
        if i is not None and i < len(row):
            return cell(row[i])
    return ""


def _raw(row: Sequence[str], header: Sequence[str]) -> dict[str, str]:
    """The row as {column: value}, empty cells left out (kept with the line for audit)."""
    names = _names(tuple(header))
    return {name: value for name, raw in zip(names, row, strict=False)
            if name and (value := cell(raw))}


@lru_cache(maxsize=32)
def _names(header: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_header(name) for name in header)


# --- detection ------------------------------------------------------------------------------


def detect(text: str) -> str:
    head = text[:4000]
    if "微信订单号" in head and "商户订单号" in head:
        return WECHAT
    if "支付宝交易号" in head and "业务类型" in head:
        return ALIPAY_BUSINESS
    if "账务流水号" in head and "业务类型" in head:
        return ALIPAY_ACCOUNT
    if _bank_header_at(_rows(head)) is not None:
        return BANK
    raise _refuse(_("This is not a WeChat Pay bill, an Alipay bill or a bank statement we "
                    "can read."))


def sniff(data: bytes, *, layout: str = "") -> tuple[str, str]:
    """The checks made when a file is uploaded, before anything is stored or queued: it is
    UTF-8 or GBK text, one of the layouts we read (the one chosen, when ``layout`` is given),
    with its header row and the columns we need. No row is parsed (that is the import's
    job, in the background for a large file). Returns ``(layout, encoding)``; raises
    ValidationFailed (``statement_invalid``) with the reason otherwise."""
    text, encoding = decode(data)
    found = detect(text)
    if layout and layout != found:
        raise _refuse(_("The file is not the kind of statement chosen."))
    if found == WECHAT:
        rows = _rows(text)
        header_at, _index_ = _wechat_header(rows)
        body = [row for row in rows[header_at + 1:] if any(cell(v) for v in row)]
        summary_at = next((i for i, row in enumerate(body) if _header(row[0]) == "总交易单数"),
                          None)
        if summary_at is None or summary_at + 1 >= len(body):
            raise _refuse(_("The summary at the end of the bill is missing; the file may be "
                            "cut short."))
        declared = cell(body[summary_at + 1][0])
        if not declared.isdigit() or int(declared) != summary_at:
            raise _refuse(_("The summary counts %(declared)s rows but the file has %(rows)s; "
                            "the file may be cut short.") % {"declared": declared,
                                                             "rows": summary_at})
    elif found in (ALIPAY_BUSINESS, ALIPAY_ACCOUNT):
        _before, table, _after = _alipay_sections(text)
        _alipay_header(_rows("\n".join(table[:1])), _ALIPAY_NEEDED[found])
    elif _bank_header_at(_rows(text[:20000])) is None:
        raise _refuse(_("The header row is missing."))
    return found, encoding


def parse(data: bytes, *, layout: str = "", reference_finder: Callable[[str], list[str]]
          | None = None) -> ParsedStatement:
    """Parse ``data``; ``layout`` (optional) must agree with what the file is.
    ``reference_finder`` pulls our transfer references out of a bank line's remark."""
    text, encoding = decode(data)
    found = detect(text)
    if layout and layout != found:
        raise _refuse(_("The file is not the kind of statement chosen."))
    if found == WECHAT:
        statement = _wechat(text)
    elif found == ALIPAY_BUSINESS:
        statement = _alipay_business(text)
    elif found == ALIPAY_ACCOUNT:
        statement = _alipay_account(text)
    else:
        statement = _bank(text, reference_finder or (lambda remark: []))
    statement.encoding = encoding
    return statement


# --- WeChat Pay -----------------------------------------------------------------------------


def _wechat_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    header_at = next((i for i, row in enumerate(rows) if row and _header(row[0]) == "交易时间"),
                     None)
    if header_at is None:
        raise _refuse(_("The header row is missing."))
    index = _index(rows[header_at])
    for needed in ("商户订单号", "微信订单号", "交易状态"):
        if needed not in index:
            raise _refuse(_("Column %(column)s is missing.") % {"column": needed})
    return header_at, index


def _wechat(text: str) -> ParsedStatement:
    rows = _rows(text)
    errors = _Errors()
    header_at, index = _wechat_header(rows)
    header = rows[header_at]
    lines: list[ParsedLine] = []
    summary: dict[str, str] = {}
    i = header_at + 1
    while i < len(rows):
        row = rows[i]
        line_no = i + 1
        i += 1
        if not any(cell(v) for v in row):
            continue
        if _header(row[0]) == "总交易单数":
            if i < len(rows):
                summary = {_header(k): cell(v) for k, v in zip(row, rows[i], strict=False)}
            break
        lines.append(_wechat_line(row, header, index, line_no, errors))
    errors.raise_if_any()
    declared = summary.get("总交易单数")
    if declared is None:
        raise _refuse(_("The summary at the end of the bill is missing; the file may be cut "
                        "short."))
    if not declared.isdigit() or int(declared) != len(lines):
        raise _refuse(_("The summary counts %(declared)s rows but the file has %(rows)s; the "
                        "file may be cut short.") % {"declared": declared, "rows": len(lines)})
    start, end = day_span(lines)
    return ParsedStatement(WECHAT, "", lines, start, end, summary)


def _wechat_line(row, header, index, line_no: int, errors: _Errors) -> ParsedLine:
    state = _get(row, index, "交易状态").upper()
    at = when(_get(row, index, "交易时间"), line_no=line_no, column="交易时间", errors=errors)
    trade_no = _get(row, index, "微信订单号")
    fee = fen(_get(row, index, "手续费"), line_no=line_no, column="手续费", errors=errors)
    common = {"line_no": line_no, "occurred_at": at, "our_number": _get(row, index, "商户订单号"),
              "channel_no": trade_no, "fee_fen": fee, "raw": _raw(row, header)}
    if state == "REFUND":
        asked = _get(row, index, "申请退款金额")
        refunded = _get(row, index, "退款金额")
        amount = fen(asked if cell(asked) not in {"", "0", "0.00"} else refunded,
                     line_no=line_no, column="申请退款金额", errors=errors, blank_ok=False)
        refund_no = _get(row, index, "微信退款单号")
        return ParsedLine(kind=REFUND, line_key=f"refund:{refund_no or trade_no}",
                          refund_number=_get(row, index, "商户退款单号"),
                          channel_refund_no=refund_no, amount_fen=abs(amount),
                          status=_get(row, index, "退款状态").upper(), **common)
    if state == "SUCCESS":
        total = _get(row, index, "订单金额") or _get(row, index, "应结订单金额")
        amount = fen(total, line_no=line_no, column="订单金额", errors=errors, blank_ok=False)
        return ParsedLine(kind=PAYMENT, line_key=f"pay:{trade_no}", amount_fen=amount,
                          status=state, **common)
    # REVOKED (撤销), NOTPAY and the like: no money moved.
    return ParsedLine(kind=OTHER, line_key=f"{state.lower() or 'other'}:{trade_no}",
                      status=state, **common)


# --- Alipay ---------------------------------------------------------------------------------


_ALIPAY_RANGE = re.compile(r"起始日期：?\[([^\]]+)\].*?终止日期：?\[([^\]]+)\]")
_ALIPAY_TOTAL = re.compile(r"#?(交易|退款)合计[：:]\s*(\d+)\s*笔")


def _alipay_sections(text: str) -> tuple[list[str], list[str], list[str]]:
    """(comment lines before the table, table lines, comment lines after)."""
    before: list[str] = []
    table: list[str] = []
    after: list[str] = []
    seen_table = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            (after if seen_table else before).append(line)
            continue
        if not line.replace(",", "").strip():
            continue
        seen_table = True
        table.append(raw)
    return before, table, after


def _alipay_period(comments: Iterable[str], errors: _Errors
                   ) -> tuple[datetime | None, datetime | None]:
    for line in comments:
        match = _ALIPAY_RANGE.search(line)
        if match:
            start = when(match.group(1), line_no=0, column="起始日期", errors=errors)
            end = when(match.group(2), line_no=0, column="终止日期", errors=errors)
            return start, end
    return None, None


_ALIPAY_NEEDED = {ALIPAY_BUSINESS: ("支付宝交易号", "商户订单号", "业务类型", "订单金额（元）"),
                  ALIPAY_ACCOUNT: ("账务流水号", "商户订单号", "业务类型")}


def _alipay_header(rows: list[list[str]], needed: Iterable[str]) -> dict[str, int]:
    if not rows:
        raise _refuse(_("The header row is missing."))
    index = _index(rows[0])
    for column in needed:
        if column not in index:
            raise _refuse(_("Column %(column)s is missing.") % {"column": column})
    return index


def _alipay_business(text: str) -> ParsedStatement:
    before, table, after = _alipay_sections(text)
    errors = _Errors()
    rows = _rows("\n".join(table))
    index = _alipay_header(rows, _ALIPAY_NEEDED[ALIPAY_BUSINESS])
    header = rows[0]
    # Line numbers: the table's rows follow the comment lines before it.
    first = len(before) + 2
    lines: list[ParsedLine] = []
    for offset, row in enumerate(rows[1:]):
        line_no = first + offset
        kind_text = _get(row, index, "业务类型")
        trade_no = _get(row, index, "支付宝交易号")
        at = when(_get(row, index, "完成时间") or _get(row, index, "创建时间"),
                  line_no=line_no, column="完成时间", errors=errors)
        fee = -fen(_get(row, index, "服务费（元）"), line_no=line_no, column="服务费（元）",
                   errors=errors)
        common = {"line_no": line_no, "occurred_at": at, "channel_no": trade_no,
                  "our_number": _get(row, index, "商户订单号"), "fee_fen": fee,
                  "counterparty_account": _get(row, index, "对方账户"),
                  "remark": _get(row, index, "备注"), "raw": _raw(row, header),
                  "status": kind_text}
        if "退款" in kind_text:
            received = fen(_get(row, index, "商家实收（元）"), line_no=line_no,
                           column="商家实收（元）", errors=errors, blank_ok=False)
            request_no = _get(row, index, "退款批次号/请求号")
            lines.append(ParsedLine(kind=REFUND, line_key=f"refund:{trade_no}:{request_no}",
                                    refund_number=request_no, amount_fen=abs(received),
                                    **common))
        elif "交易" in kind_text:
            amount = fen(_get(row, index, "订单金额（元）"), line_no=line_no,
                         column="订单金额（元）", errors=errors, blank_ok=False)
            lines.append(ParsedLine(kind=PAYMENT, line_key=f"pay:{trade_no}", amount_fen=amount,
                                    **common))
        else:
            lines.append(ParsedLine(kind=OTHER, line_key=f"other:{trade_no}:{line_no}",
                                    **common))
    start, end = _alipay_period(before, errors)
    errors.raise_if_any()
    totals = {m.group(1): int(m.group(2)) for line in after
              for m in [_ALIPAY_TOTAL.search(line)] if m}
    if totals:
        counted = Counter(line.kind for line in lines)
        if (totals.get("交易", counted[PAYMENT]) != counted[PAYMENT]
                or totals.get("退款", counted[REFUND]) != counted[REFUND]):
            raise _refuse(_("The totals at the end do not agree with the rows; the file may "
                            "be cut short."))
    elif lines:
        raise _refuse(_("The summary at the end of the bill is missing; the file may be cut "
                        "short."))
    if start is None:
        start, end = day_span(lines)
    return ParsedStatement(ALIPAY_BUSINESS, "", lines, start, end,
                           {"totals": ",".join(f"{k}:{v}" for k, v in totals.items())})


_ALIPAY_ACCOUNT_KINDS = (("退款", REFUND), ("分账", SPLIT), ("收费", FEE), ("服务费", FEE),
                         ("在线支付", PAYMENT), ("交易", PAYMENT))


def _alipay_account(text: str) -> ParsedStatement:
    before, table, _after = _alipay_sections(text)
    errors = _Errors()
    rows = _rows("\n".join(table))
    index = _alipay_header(rows, _ALIPAY_NEEDED[ALIPAY_ACCOUNT])
    header = rows[0]
    first = len(before) + 2
    lines: list[ParsedLine] = []
    for offset, row in enumerate(rows[1:]):
        line_no = first + offset
        kind_text = _get(row, index, "业务类型")
        kind = next((k for word, k in _ALIPAY_ACCOUNT_KINDS if word in kind_text), OTHER)
        income = fen(_get(row, index, "收入金额（+元）"), line_no=line_no,
                     column="收入金额（+元）", errors=errors)
        expense = fen(_get(row, index, "支出金额（-元）"), line_no=line_no,
                      column="支出金额（-元）", errors=errors)
        amount = abs(income) if income else abs(expense)
        journal_no = _get(row, index, "账务流水号")
        line = ParsedLine(
            line_no=line_no, line_key=f"journal:{journal_no}", kind=kind,
            occurred_at=when(_get(row, index, "发生时间"), line_no=line_no, column="发生时间",
                             errors=errors),
            our_number=_get(row, index, "商户订单号"),
            channel_no=_get(row, index, "业务流水号"),
            amount_fen=amount, counterparty_account=_get(row, index, "对方账号"),
            remark=_get(row, index, "备注"), status=kind_text, raw=_raw(row, header))
        if kind == FEE:
            line.fee_fen = amount if expense else -amount
        lines.append(line)
    start, end = _alipay_period(before, errors)
    errors.raise_if_any()
    if start is None:
        start, end = day_span(lines)
    return ParsedStatement(ALIPAY_ACCOUNT, "", lines, start, end)


# --- bank statements ------------------------------------------------------------------------

_BANK_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "交易日期", "交易时间", "记账日期", "入账日期", "日期"),
    "time": ("time", "交易时间"),
    "amount": ("amount", "交易金额", "发生额", "金额"),
    "credit": ("贷方发生额", "贷方金额", "收入金额", "贷方发生额（收入）", "收入", "贷方"),
    "debit": ("借方发生额", "借方金额", "支出金额", "借方发生额（支出）", "支出", "借方"),
    "direction": ("direction", "借贷标志", "借贷方向", "收支标志", "借贷"),
    "payer_name": ("payer_name", "对方户名", "对方账户名", "对方名称", "付款人名称",
                   "对方单位"),
    "payer_account": ("payer_account", "对方账号", "对方账户", "付款人账号"),
    "summary": ("摘要",),
    "remark": ("remark", "附言", "用途", "备注", "交易附言", "附加信息"),
    "serial": ("serial", "流水号", "交易流水号", "凭证号", "交易流水", "柜员流水号"),
}


def _bank_columns(row: Sequence[str]) -> dict[str, int] | None:
    names = [_header(v).lower() if _header(v).isascii() else _header(v) for v in row]
    found: dict[str, int] = {}
    for key, aliases in _BANK_COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    if "date" in found and ("credit" in found or "amount" in found):
        if found.get("time") == found["date"]:
            del found["time"]
        return found
    return None


def _bank_header_at(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:30]):
        if _bank_columns(row) is not None:
            return i
    return None


def _bank(text: str, reference_finder: Callable[[str], list[str]]) -> ParsedStatement:
    rows = _rows(text)
    header_at = _bank_header_at(rows)
    if header_at is None:
        raise _refuse(_("The header row is missing."))
    columns = _bank_columns(rows[header_at]) or {}
    header = rows[header_at]
    errors = _Errors()
    lines: list[ParsedLine] = []
    seen: Counter[str] = Counter()

    def col(row: Sequence[str], key: str) -> str:
        i = columns.get(key)
        return cell(row[i]) if i is not None and i < len(row) else ""

    for i in range(header_at + 1, len(rows)):
        row, line_no = rows[i], i + 1
        if not any(cell(v) for v in row):
            continue
        first = cell(row[0])
        if first.startswith(("合计", "总计", "本页合计", "#")) or not col(row, "date"):
            if first.startswith(("合计", "总计")):
                break
            continue
        stamp = col(row, "date")
        if "time" in columns and col(row, "time") and ":" not in stamp:
            stamp = f"{stamp} {col(row, 'time')}"
        at = when(stamp, line_no=line_no, column=_header(header[columns["date"]]),
                  errors=errors)
        signed = _bank_amount(row, columns, col, line_no, errors)
        remark = " ".join(v for v in (col(row, "summary"), col(row, "remark")) if v)
        serial = col(row, "serial")
        identity = "|".join([stamp, str(signed), col(row, "payer_account"), remark])
        seen[identity] += 1
        key = (f"serial:{serial}" if serial else "row:" + hashlib.sha256(
            f"{identity}#{seen[identity]}".encode()).hexdigest()[:40])
        references = reference_finder(remark)
        lines.append(ParsedLine(
            line_no=line_no, line_key=key, kind=CREDIT if signed > 0 else DEBIT,
            occurred_at=at, our_number=references[0] if references else "",
            channel_no=serial, amount_fen=abs(signed),
            counterparty_name=col(row, "payer_name"),
            counterparty_account=col(row, "payer_account"), remark=remark[:300],
            raw=_raw(row, header)))
    errors.raise_if_any()
    start, end = day_span(lines)
    return ParsedStatement(BANK, "", lines, start, end)


def _bank_amount(row, columns, col, line_no: int, errors: _Errors) -> int:
    """Signed fen: + money in, - money out."""
    if "credit" in columns:
        credit = fen(col(row, "credit"), line_no=line_no, column="贷方发生额", errors=errors)
        debit = fen(col(row, "debit"), line_no=line_no, column="借方发生额", errors=errors)
        if credit and debit:
            errors.add(line_no, _("Both the credit and the debit column have an amount."))
        if not credit and not debit:
            errors.add(line_no, _("Neither the credit nor the debit column has an amount."))
        return abs(credit) if credit else -abs(debit)
    amount = fen(col(row, "amount"), line_no=line_no, column="amount", errors=errors,
                 blank_ok=False)
    direction = col(row, "direction").upper()
    if direction in {"借", "支", "支出", "D", "DR", "DEBIT", "OUT"}:
        return -abs(amount)
    if direction in {"贷", "收", "收入", "C", "CR", "CREDIT", "IN"}:
        return abs(amount)
    if amount == 0:
        errors.add(line_no, _("The amount is zero."))
    return amount
