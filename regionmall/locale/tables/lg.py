"""Trade: parcel tracking (物流跟踪) on the order pages and its API (LG)."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    # --- the order pages' section (trade/orders/_tracking*.html) ---
    "Parcel tracking": T("物流跟踪", "物流追蹤", "物流追蹤"),
    "Asking the carrier where the parcel is…": T(
        "正在向快递公司查询包裹位置…", "問緊速遞公司個包裹去到邊…", "當咧問貨運公司包裹到佗位矣…"),
    "The carrier has not scanned the parcel yet.": T(
        "快递公司暂未更新物流轨迹。", "速遞公司暫時未有更新。", "貨運公司猶未更新。"),
    "As of %(when)s": T("更新于 %(when)s", "%(when)s 更新", "%(when)s 更新"),
    "The carrier has no tracking information for this number yet.": T(
        "快递公司暂无该单号的物流信息。", "速遞公司暫時未有呢個單號嘅資料。",
        "貨運公司猶無這个單號的資料。"),
    "%(carrier)s says: %(message)s": T(
        "%(carrier)s：%(message)s", "%(carrier)s 話：%(message)s", "%(carrier)s 講：%(message)s"),
    "Tracking information cannot be retrieved right now; please try again later.": T(
        "物流信息暂时无法查询，请稍后再试", "暫時查唔到物流資料，請遲啲再試",
        "物流資料暫時查袂著，請等一下才閣試"),
    "Try again": T("重试", "再試", "閣試一擺"),
    "Parcel tracking is not set up on this platform.": T(
        "本平台尚未开通物流跟踪。", "呢個平台未開通物流追蹤。", "這个平台猶未開通物流追蹤。"),
    "Ask %(carrier)s with the tracking number.": T(
        "可凭运单号向%(carrier)s查询。", "可以用運單號問%(carrier)s。",
        "會使用運單號問%(carrier)s。"),
    "The parcel has not been handed to a carrier yet.": T(
        "包裹尚未交给快递公司。", "個包裹仲未交俾速遞公司。", "包裹猶未交予貨運公司。"),
    # --- parcel states (trade/tracking/base.py) ---
    "Collected by the carrier": T("已揽收", "速遞已經收咗件", "貨運公司已經收件矣"),
    "In transit": T("运输中", "運送緊", "運送中"),
    "Out for delivery": T("派送中", "派緊件", "當咧送件"),
    "Delivered": T("已签收", "已經簽收咗", "已經簽收矣"),
    "Delivery problem": T("派送异常", "派送有問題", "送件有問題"),
    "Refused by the recipient": T("收件人拒签", "收件人拒收咗", "收件人拒收"),
    "Returning to the sender": T("退回中", "退緊返去寄件人", "當咧退轉去寄件人"),
    "Returned to the sender": T("已退回寄件人", "已經退返俾寄件人", "已經退轉去寄件人矣"),
    "Handed to another carrier": T("已转交其他快递", "轉咗俾第二間速遞", "已經轉予別間貨運"),
    "Awaiting customs clearance": T("待清关", "等緊清關", "等待清關"),
    "In customs clearance": T("清关中", "清緊關", "當咧清關"),
    "Cleared customs": T("已清关", "已經清咗關", "已經清關矣"),
    "Customs problem": T("清关异常", "清關有問題", "清關有問題"),
    "Status unknown": T("状态未知", "狀態唔清楚", "狀態無清楚"),
}
