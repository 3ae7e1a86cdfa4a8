"""Helpers for the transfer and reconciliation tests: our own payment rows, and statement
files generated from them in each channel's real layout (WeChat Pay's backtick-prefixed trade
bill with its summary, Alipay's GBK bills with ``#`` comment lines and tab padding, Chinese
bank exports in GBK with a preamble and a 合计 row).

Payment rows are written directly (as the gateway writes them): reconciliation only reads
them, and the gateway's own tests cover how they come to be.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regionmall.accounts.roles import Role
from regionmall.core.money import to_yuan
from regionmall.payments.channels.base import PartRequest, PaymentRequest
from regionmall.payments.channels.transfer import TransferAdapter
from regionmall.payments.models import (
    Payment,
    PaymentPart,
    PaymentState,
    Refund,
    RefundState,
    SettlementMode,
    Split,
    SplitState,
)
from regionmall.payments.services.statement_formats import BEIJING
from regionmall.trade.services.numbers import order_number
from regionmall.trade.tests.orders_support import buyer, place, shop

_seq = itertools.count(1)
PDF = b"%PDF-1.4 remittance slip\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def columns(text: str) -> list[str]:
    return text.split(",")


def yuan(fen: int) -> str:
    return str(to_yuan(fen))


def beijing(dt: datetime) -> str:
    return dt.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def day_at(hour: int, minute: int = 0, days_ago: int = 1) -> datetime:
    """A time on a fixed Beijing day (yesterday by default), as statements are per day."""
    today = timezone.now().astimezone(BEIJING).date()
    day = today - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


# --- our rows -------------------------------------------------------------------------------


@dataclass
class Shop:
    merchant: object
    owner: object
    sku: object


def a_shop(price_fen: int = 12_800) -> Shop:
    merchant, owner, sku = shop(price_fen=price_fen, stock=1_000)
    return Shop(merchant, owner, sku)


def payment_row(shop_: Shop, channel: str, amount_fen: int, *,
                state: str = PaymentState.CAPTURED, captured_at: datetime | None = None,
                buyer_user=None) -> Payment:
    """A captured (by default) one-part payment on ``channel``, as the gateway stores it."""
    n = next(_seq)
    user = buyer_user or shop_.owner
    payment = Payment.objects.create(
        number=f"PAY{order_number()}{n % 10}", checkout_number=f"P{order_number()}",
        buyer=user, channel=channel, method="native", amount_fen=amount_fen, state=state,
        split_mode=SettlementMode.CHANNEL, applied=state == PaymentState.CAPTURED,
        channel_trade_no=f"42000{n:015d}",
        captured_at=captured_at if state == PaymentState.CAPTURED else None)
    PaymentPart.objects.create(payment=payment, order_number=order_number(),
                               merchant=shop_.merchant, amount_fen=amount_fen)
    return payment


def refund_row(payment: Payment, amount_fen: int, *, state: str = RefundState.SUCCEEDED,
               finished_at: datetime | None = None) -> Refund:
    n = next(_seq)
    return Refund.objects.create(
        number=f"RF{order_number()}{n % 10}", payment=payment, part=payment.parts.first(),
        amount_fen=amount_fen, reason="test", state=state,
        idempotency_key=f"recon-test-{n}", channel_refund_no=f"50300{n:015d}",
        finished_at=finished_at if state == RefundState.SUCCEEDED else None)


def split_row(payment: Payment, *, commission_fen: int, logistics_fen: int = 0,
              finished_at: datetime | None = None, state: str = SplitState.FINISHED) -> Split:
    part = payment.parts.first()
    n = next(_seq)
    return Split.objects.create(
        number=f"SP{order_number()}{n % 10}", order_number=part.order_number, payment=payment,
        part=part, merchant=part.merchant, mode=SettlementMode.CHANNEL, state=state,
        base_fen=part.amount_fen, commission_fen=commission_fen, logistics_fen=logistics_fen,
        merchant_fen=part.amount_fen - commission_fen - logistics_fen,
        rounding_rule="half_up", channel_split_no=f"ST{n:010d}",
        due_at=timezone.now(), finished_at=finished_at)


def transfer_checkout(price_fen: int = 128_000, role: str = Role.ENTERPRISE_BUYER):
    """An enterprise buyer's unpaid checkout (real trade checkout, one merchant)."""
    shop_ = a_shop(price_fen)
    user, address = buyer(role)
    checkout = place(user, address, (shop_.sku, 1))
    return shop_, user, checkout


def transfer_payment(user, checkout, adapter: TransferAdapter | None = None) -> Payment:
    """A pending transfer payment for ``checkout``, with the adapter's real instruction
    (what ``gateway.start_payment`` stores)."""
    adapter = adapter or TransferAdapter()
    orders = list(apps.get_model("trade", "Order").objects.filter(checkout=checkout)
                  .order_by("id"))
    number = f"PAY{order_number()}{next(_seq) % 10}"
    parts = tuple(PartRequest(order_number=o.number, merchant_id=o.merchant_id,
                              sub_merchant_id="", amount_fen=o.total_fen, description="x")
                  for o in orders)
    start = adapter.create_payment(PaymentRequest(
        number=number, amount_fen=checkout.total_fen, description="wholesale", parts=parts,
        split=False, method="transfer", notify_url="http://127.0.0.1/notify",
        return_url="http://127.0.0.1/", expires_at=timezone.now() + timedelta(days=3)))
    payment = Payment.objects.create(
        number=number, checkout_number=checkout.number, buyer=user, channel="transfer",
        method="transfer", amount_fen=checkout.total_fen, split_mode=SettlementMode.PLATFORM,
        channel_trade_no=start.channel_trade_no, pay_params=start.pay_params)
    for p in parts:
        PaymentPart.objects.create(payment=payment, order_number=p.order_number,
                                   merchant_id=p.merchant_id, amount_fen=p.amount_fen)
    return payment


def upload(data: bytes, name: str = "bill.csv", content_type: str = "text/csv"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- WeChat Pay trade bill ------------------------------------------------------------------

WECHAT_HEADER = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,"
                 "商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
                 "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
                 "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,"
                 "费率,订单金额,申请退款金额,费率备注")
WECHAT_SUMMARY = ("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,"
                  "手续费总金额,订单总金额,申请退款总金额")


def fee_of(amount_fen: int) -> int:
    """0.6% rounded half up, as the channels charge."""
    return int((Decimal(amount_fen) * Decimal("0.006")).quantize(Decimal(1),
                                                                  rounding="ROUND_HALF_UP"))


def wechat_payment_row(payment: Payment, *, at: datetime, amount_fen: int | None = None,
                       trade_no: str | None = None, number: str | None = None) -> list[str]:
    amount = payment.amount_fen if amount_fen is None else amount_fen
    return [beijing(at), "wx8888888888888888", "1900000109", "1900012345", "",
            trade_no or payment.channel_trade_no, number or payment.number,
            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "NATIVE", "SUCCESS", "CMB_CREDIT", "CNY",
            yuan(amount), "0.00", "0", "0", "0.00", "0.00", "", "", "东阳红木茶几", "",
            f"{Decimal(fee_of(amount)) / 100:.5f}", "0.60%", yuan(amount), "0.00", ""]


def wechat_refund_row(refund: Refund, *, at: datetime, amount_fen: int | None = None,
                      status: str = "SUCCESS") -> list[str]:
    payment = refund.payment
    amount = refund.amount_fen if amount_fen is None else amount_fen
    return [beijing(at), "wx8888888888888888", "1900000109", "1900012345", "",
            payment.channel_trade_no, payment.number, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "NATIVE",
            "REFUND", "CMB_CREDIT", "CNY", "0.00", "0.00", refund.channel_refund_no,
            refund.number, yuan(amount), "0.00", "ORIGINAL", status, "东阳红木茶几", "",
            f"-{Decimal(fee_of(amount)) / 100:.5f}", "0.60%", "0.00", yuan(amount), ""]


def wechat_bill(rows: list[list[str]], *, summary_count: int | None = None) -> bytes:
    """The bill as WeChat Pay serves it: header, every value prefixed with a backtick,
    then the summary header and its backtick-prefixed totals (CRLF line ends)."""
    lines = [WECHAT_HEADER]
    lines += [",".join(f"`{value}" for value in row) for row in rows]
    pays = [r for r in rows if r[9] == "SUCCESS"]
    refunds = [r for r in rows if r[9] == "REFUND"]
    total = sum(Decimal(r[24]) for r in pays)
    refunded = sum(Decimal(r[16]) for r in refunds)
    fees = sum(Decimal(r[22]) for r in rows)
    count = len(rows) if summary_count is None else summary_count
    lines += [WECHAT_SUMMARY,
              f"`{count},`{total:.2f},`{refunded:.2f},`0.00,`{fees:.5f},`{total:.2f},"
              f"`{refunded:.2f}"]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


# --- Alipay bills ---------------------------------------------------------------------------

ALIPAY_BUSINESS_HEADER = columns(
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,"
    "门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,"
    "支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,"
    "券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
    "退款批次号/请求号,服务费（元）,分润（元）,备注")


def _cn_time(dt: datetime) -> str:
    return dt.astimezone(BEIJING).strftime("%Y年%m月%d日 %H:%M:%S")


def alipay_payment_row(payment: Payment, *, at: datetime, amount_fen: int | None = None,
                       number: str | None = None, trade_no: str | None = None) -> list[str]:
    amount = payment.amount_fen if amount_fen is None else amount_fen
    return [trade_no or f"2026{payment.channel_trade_no}", number or payment.number, "交易",
            "浦江葡萄",
            beijing(at - timedelta(minutes=1)), beijing(at), "", "", "", "", "buy***@163.com",
            yuan(amount), yuan(amount), "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00",
            "0.00", "", f"-{yuan(fee_of(amount))}", "0.00", ""]


def alipay_refund_row(refund: Refund, *, at: datetime, amount_fen: int | None = None
                      ) -> list[str]:
    payment = refund.payment
    amount = refund.amount_fen if amount_fen is None else amount_fen
    return [f"2026{payment.channel_trade_no}", payment.number, "退款", "浦江葡萄",
            beijing(at - timedelta(minutes=1)), beijing(at), "", "", "", "", "buy***@163.com",
            yuan(payment.amount_fen), f"-{yuan(amount)}", "0.00", "0.00", "0.00", "0.00",
            "0.00", "", "0.00", "0.00", refund.number, yuan(fee_of(amount)), "0.00", ""]


def alipay_business_bill(rows: list[list[str]], *, start: datetime, end: datetime,
                         drop_totals: bool = False) -> bytes:
    """GBK, ``#`` comment lines around the table, every value padded with a tab."""
    out = io.StringIO()
    out.write("#支付宝业务明细查询\r\n#账号：[20881234567890120156]\r\n")
    out.write(f"#起始日期：[{_cn_time(start)}]   终止日期：[{_cn_time(end)}]\r\n")
    out.write("#-----------------------------------------业务明细列表"
              "----------------------------------------\r\n")
    out.write(",".join(ALIPAY_BUSINESS_HEADER) + "\r\n")
    for row in rows:
        out.write(",".join(f"{value}\t" for value in row) + "\r\n")
    out.write("#-----------------------------------------业务明细列表结束"
              "------------------------------------\r\n")
    pays = [r for r in rows if r[2] == "交易"]
    refunds = [r for r in rows if r[2] == "退款"]
    if not drop_totals:
        got = sum(Decimal(r[12]) for r in pays)
        back = sum(Decimal(r[12]) for r in refunds)
        out.write(f"#交易合计：{len(pays)}笔，商家实收：￥{got:.2f}元，商家优惠：￥0.00元\r\n")
        out.write(f"#退款合计：{len(refunds)}笔，商家实收：￥{back:.2f}元，商家优惠：￥0.00元\r\n")
    out.write(f"#导出时间：[{_cn_time(timezone.now())}]\r\n")
    return out.getvalue().encode("gbk")


ALIPAY_ACCOUNT_HEADER = columns("账务流水号,业务流水号,商户订单号,商品名称,发生时间,"
                         "对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,"
                         "交易渠道,业务类型,备注")


def alipay_account_bill(rows: list[list[str]], *, start: datetime, end: datetime) -> bytes:
    out = io.StringIO()
    out.write("#支付宝账务明细查询\r\n#账号：[20881234567890120156]\r\n")
    out.write(f"#起始日期：[{_cn_time(start)}]   终止日期：[{_cn_time(end)}]\r\n")
    out.write("#-----------------------------------------账务明细列表"
              "----------------------------------------\r\n")
    out.write(",".join(ALIPAY_ACCOUNT_HEADER) + "\r\n")
    for row in rows:
        out.write(",".join(f"{value}\t" for value in row) + "\r\n")
    out.write("#-----------------------------------------账务明细列表结束"
              "------------------------------------\r\n")
    out.write(f"#导出时间：[{_cn_time(timezone.now())}]\r\n")
    return out.getvalue().encode("gbk")


def alipay_account_row(journal: int, number: str, kind: str, *, at: datetime,
                       income_fen: int = 0, expense_fen: int = 0, channel_no: str = ""
                       ) -> list[str]:
    return [f"2026{journal:012d}", channel_no or f"2026{journal:08d}", number, "浦江葡萄",
            beijing(at), "buy***@163.com", yuan(income_fen) if income_fen else "",
            f"-{yuan(expense_fen)}" if expense_fen else "", "10000.00", "支付宝", kind, ""]


# --- bank statements ------------------------------------------------------------------------


def bank_statement_cn(rows: list[dict], *, encoding: str = "gbk") -> bytes:
    """A Chinese bank's export: preamble lines, 交易日期/贷方发生额/借方发生额/对方户名/对方账号/
    摘要/附言/流水号 columns, amounts with thousands separators, a 合计 row at the end."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["账号：", "1208010009200012345"])
    writer.writerow(["户名：", "金华区域电商平台运营有限公司（演示账户）"])
    writer.writerow(["起止日期：", "2026-01-01 至 2026-01-31"])
    writer.writerow([])
    writer.writerow(columns("交易日期,交易时间,借方发生额,贷方发生额,余额,对方户名,对方账号,"
                            "摘要,附言,流水号"))
    credit_total = debit_total = 0
    for row in rows:
        at: datetime = row["at"]
        amount = row["amount_fen"]
        credit_total += max(amount, 0)
        debit_total += max(-amount, 0)
        writer.writerow([
            at.astimezone(BEIJING).strftime("%Y%m%d"), at.astimezone(BEIJING).strftime("%H:%M:%S"),
            f"{to_yuan(-amount):,.2f}" if amount < 0 else "",
            f"{to_yuan(amount):,.2f}" if amount > 0 else "", "1,000,000.00",
            row.get("payer", "金华某某贸易有限公司"), row.get("account", "33050161000000001234"),
            row.get("summary", "转账"), row.get("remark", ""), row.get("serial", "")])
    writer.writerow(["合计", "", f"{to_yuan(debit_total):,.2f}", f"{to_yuan(credit_total):,.2f}"])
    return out.getvalue().encode(encoding)


def bank_statement_simple(rows: list[dict]) -> bytes:
    """Our documented layout: date,amount,payer_name,payer_account,remark (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "amount", "payer_name", "payer_account", "remark"])
    for row in rows:
        writer.writerow([row["at"].astimezone(BEIJING).strftime("%Y-%m-%d"),
                         str(to_yuan(row["amount_fen"])), row.get("payer", "某某公司"),
                         row.get("account", "6222000000000000"), row.get("remark", "")])
    return out.getvalue().encode("utf-8")
