"""WeChat Pay channel (payments/channels/wechat.py, wechat_client.py)."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    "Every order paid through WeChat Pay needs the merchant's WeChat Pay sub-merchant id.": T(
        "通过微信支付付款的每个订单，都需要商家的微信支付子商户号。",
        "用微信支付俾錢嘅每張訂單，都要有商戶嘅微信支付子商戶號。",
        "用微信支付付款的每一張訂單，攏愛有頭家的微信支付子商戶號。"),
    "Paying inside WeChat needs your WeChat account; please open this page in WeChat.": T(
        "在微信内支付需要您的微信账号，请在微信中打开此页面。",
        "喺微信入面俾錢要用你嘅微信帳號，請喺微信度打開呢頁。",
        "佇微信內底付款愛用你的微信帳號，請佇微信拍開這頁。"),
    "The WeChat Pay receiver for %(kind)s is not configured.": T(
        "尚未配置 %(kind)s 的微信支付分账接收方。",
        "%(kind)s 嘅微信支付分賬收款方仲未設定。",
        "%(kind)s 的微信支付分帳收款方猶未設定。"),
    "The payment's parts do not add up to its amount.": T(
        "这笔付款各部分金额之和与总金额不符。",
        "呢筆付款各部分加埋同總額唔夾。",
        "這筆付款逐部分加起來佮總金額無合。"),
    "The refund is more than was paid to this merchant.": T(
        "退款金额超过了付给该商家的金额。",
        "退款多過俾咗呢間商戶嘅錢。",
        "退款比付予這个頭家的錢較濟。"),
    "There is nothing to share.": T(
        "没有需要分账的金额。",
        "冇錢要分賬。",
        "無錢通分帳。"),
    "This WeChat Pay method is not available: %(method)s": T(
        "此微信支付方式不可用：%(method)s",
        "呢個微信支付方式用唔到：%(method)s",
        "這款微信支付方式袂當用：%(method)s"),
    "This payment cannot be split into WeChat Pay sub-orders.": T(
        "这笔付款无法拆分为微信支付子单。",
        "呢筆付款拆唔到做微信支付子單。",
        "這筆付款無法度拆做微信支付子單。"),
    "This payment number cannot be used at WeChat Pay.": T(
        "此付款单号无法在微信支付使用。",
        "呢個付款單號喺微信支付用唔到。",
        "這个付款單號佇微信支付袂當用。"),
    "WeChat Pay answered something we cannot read.": T(
        "微信支付返回了无法识别的内容。",
        "微信支付回咗啲我哋睇唔明嘅嘢。",
        "微信支付回的內容阮看無。"),
    "WeChat Pay can only take shares back from merchant receivers.": T(
        "微信支付只能从商户类型的接收方回退分账。",
        "微信支付淨係可以由商戶收款方退返分賬。",
        "微信支付干焦會當對商戶收款方提轉分帳。"),
    "WeChat Pay could not be reached. Please try again later.": T(
        "无法连接微信支付，请稍后再试。",
        "連唔到微信支付，請遲啲再試。",
        "連袂著微信支付，請小等一下才閣試。"),
    "WeChat Pay has no paid order of this merchant in payment %(number)s.": T(
        "微信支付中没有该商家在付款 %(number)s 中已支付的订单。",
        "微信支付冇呢間商戶喺付款 %(number)s 入面已經俾咗錢嘅訂單。",
        "微信支付無這个頭家佇付款 %(number)s 內底已經付款的訂單。"),
    "WeChat Pay has no split %(number)s.": T(
        "微信支付中没有分账单 %(number)s。",
        "微信支付冇分賬單 %(number)s。",
        "微信支付無分帳單 %(number)s。"),
    "WeChat Pay needs the merchant's sub-merchant id to look up a refund.": T(
        "查询退款需要商家的微信支付子商户号。",
        "查退款要有商戶嘅微信支付子商戶號。",
        "查退款愛有頭家的微信支付子商戶號。"),
    "WeChat Pay needs the payment to look up a split.": T(
        "查询分账需要对应的付款信息。",
        "查分賬要有對應嘅付款資料。",
        "查分帳愛有對應的付款資料。"),
    "WeChat Pay only takes payments in CNY.": T(
        "微信支付仅支持人民币付款。",
        "微信支付淨係收人民幣。",
        "微信支付干焦收人民幣。"),
    "WeChat Pay refused the request (%(code)s): %(message)s": T(
        "微信支付拒绝了请求（%(code)s）：%(message)s",
        "微信支付拒絕咗個請求（%(code)s）：%(message)s",
        "微信支付拒絕這个請求（%(code)s）：%(message)s"),
    "WeChat Pay's answer could not be verified.": T(
        "无法验证微信支付的应答签名。",
        "驗證唔到微信支付嘅回覆。",
        "微信支付的回應驗證袂過。"),
    "WeChat Pay's platform key is not available.": T(
        "微信支付平台密钥不可用。",
        "微信支付平台金鑰用唔到。",
        "微信支付平台金鑰袂當用。"),
}
