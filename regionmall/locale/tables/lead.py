"""Lead's strings: platform protection (rate limit, circuit breakers), flash-sale intake."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    "Too many requests from your network; please wait a moment and retry.": T(
        "您所在网络的请求过多，请稍候再试。", "你嘅網絡請求太多，請等陣再試。",
        "恁的網路請求傷濟，請小等一下才閣試。"),
    "%(name)s is not answering at the moment; please try again in a minute.": T(
        "%(name)s 暂时没有响应，请一分钟后再试。", "%(name)s 暫時冇回應，請一分鐘後再試。",
        "%(name)s 這馬無回應，請一分鐘後才閣試。"),
    "Text messages cannot be sent at the moment; please log in with your password or try "
    "again in a minute.": T(
        "短信暂时无法发送，请使用密码登录或一分钟后再试。",
        "短訊暫時send唔到，請用密碼登入或者一分鐘後再試。",
        "簡訊這馬寄袂出去，請用密碼登入抑是一分鐘後才閣試。"),
    "Your order request is queued; we are creating your order.": T(
        "您的下单请求已排队，正在为您创建订单。", "你嘅落單請求已經排緊隊，我哋幫你開緊單。",
        "恁的落單請求已經咧排隊，阮當咧共恁開訂單。"),
    "This flash sale is not open.": T(
        "该秒杀活动未开放。", "呢個秒殺活動未開放。", "這个秒殺活動猶未開放。"),
    "This flash sale is paused for a moment; please try again shortly.": T(
        "秒杀活动暂停片刻，请稍后再试。", "秒殺活動暫停緊，請等陣再試。",
        "秒殺活動暫停一下，請小等才閣試。"),
    "This flash sale has not started yet.": T(
        "秒杀活动尚未开始。", "秒殺活動仲未開始。", "秒殺活動猶未開始。"),
    "This flash sale has ended.": T(
        "秒杀活动已结束。", "秒殺活動已經完咗。", "秒殺活動已經結束矣。"),
    "You have reached the limit for this flash sale.": T(
        "您已达到本次秒杀的限购数量。", "你已經買到呢次秒殺嘅限購數量。",
        "恁已經買到這擺秒殺的限購數量矣。"),
    "Too many requests; please wait a moment and retry.": T(
        "请求过于频繁，请稍候再试。", "請求太頻密，請等陣再試。", "請求傷密，請小等一下才閣試。"),
    "The quantity must be a whole number from 1 to 10.": T(
        "数量须为 1 到 10 的整数。", "數量要係 1 至 10 嘅整數。", "數量愛是 1 到 10 的整數。"),
    "The flash sale service is busy; please try again shortly.": T(
        "秒杀服务繁忙，请稍后再试。", "秒殺服務好繁忙，請等陣再試。",
        "秒殺服務真無閒，請小等才閣試。"),
}
TRANSLATIONS.update({
    "This balance is from orders paid by corporate bank transfer, which the platform's "
    "supervised collection account received for you.": T(
        "此余额来自对公转账支付的订单，由平台的监管收款账户代为收取。",
        "呢筆結餘係嚟自用對公轉賬付款嘅訂單，由平台嘅監管收款戶口代收。",
        "這筆餘額是對公轉賬付款的訂單來的，由平台的監管收款戶頭代收。"),
})
TRANSLATIONS.update({
    "Refund failed": T("退款失败", "退款失敗", "退款失敗"),
    "The notification's signature is not valid.": T(
        "通知的签名无效。", "通知嘅簽名無效。", "通知的簽名無效。"),
})
