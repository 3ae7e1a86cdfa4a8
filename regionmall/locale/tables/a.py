"""Alipay and the signed-callback channels (UnionPay, citizen card):
payments/channels/alipay.py, signed.py, _wire.py."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    "Alipay": T("支付宝", "支付寶", "支付寶"),
    "UnionPay": T("银联", "銀聯", "銀聯"),
    "Alipay needs the payment number to look up a refund.": T(
        "向支付宝查询退款需要提供付款单号。",
        "要向支付寶查退款，就要有付款單號。",
        "欲向支付寶查退款，愛有付款單號。"),
    "Alipay needs the payment's trade number to look up a split.": T(
        "向支付宝查询分账需要提供该笔付款的支付宝交易号。",
        "要向支付寶查分賬，就要有呢筆付款嘅支付寶交易號。",
        "欲向支付寶查分帳，愛有這筆付款的支付寶交易號。"),
    "No channel account is configured for the receiver %(account)s.": T(
        "尚未为收款方 %(account)s 配置支付渠道账户。",
        "收款方 %(account)s 仲未設定支付渠道帳戶。",
        "收款方 %(account)s 猶未設定支付管道帳號。"),
    "The notification is incomplete or malformed.": T(
        "该通知内容不完整或格式有误。",
        "呢個通知唔齊全，或者格式唔啱。",
        "這个通知無齊全，抑是格式無著。"),
    "The notification is not addressed to this merchant.": T(
        "该通知不是发给本商户的。",
        "呢個通知唔係俾我哋呢個商戶嘅。",
        "這个通知毋是予阮這个商戶的。"),
    "The payment can no longer be closed at the channel.": T(
        "该笔付款已无法在支付渠道关闭。",
        "呢筆付款喺支付渠道已經閂唔到。",
        "這筆付款佇支付管道已經關袂去矣。"),
    "The payment channel answered something we cannot use.": T(
        "支付渠道返回了无法识别的内容。",
        "支付渠道覆咗啲我哋用唔到嘅嘢。",
        "支付管道回覆的內容阮無法度用。"),
    "The payment channel could not be reached.": T(
        "无法连接支付渠道。",
        "連唔到支付渠道。",
        "連袂著支付管道。"),
    "The payment channel refused the request: %(reason)s": T(
        "支付渠道拒绝了该请求：%(reason)s",
        "支付渠道拒絕咗呢個請求：%(reason)s",
        "支付管道拒絕這个請求：%(reason)s"),
    "The payment channel's answer is not validly signed.": T(
        "支付渠道的应答签名无效。",
        "支付渠道嘅回覆簽名唔啱。",
        "支付管道的回覆簽名無效。"),
    "This channel accepts payments in yuan (CNY) only.": T(
        "该渠道只接受人民币付款。",
        "呢個渠道淨係收人民幣。",
        "這个管道干焦收人民幣。"),
    "This channel does not split payments.": T(
        "该渠道不支持分账。",
        "呢個渠道唔做分賬。",
        "這个管道無支援分帳。"),
    "This payment method is not offered by the channel.": T(
        "该渠道不提供这种支付方式。",
        "呢個渠道冇呢種俾錢方式。",
        "這个管道無提供這款付款方式。"),
    "With profit sharing, one Alipay payment can pay one shop only; "
    "pay each shop's order separately.": T(
        "启用分账时，一笔支付宝付款只能支付一家店铺的订单，请分别支付各店铺的订单。",
        "開咗分賬嘅時候，一筆支付寶付款淨係可以俾一間舖頭，請逐間舖頭分開俾錢。",
        "有分帳的時，一筆支付寶付款干焦會當付一間店，請逐間店分開付款。"),
}
