"""Payments: channel fees in the ledger and statement imports as background jobs
(helper px)."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    # --- statement import jobs ---
    "Matching lines": T("正在核对明细", "對緊明細", "當咧對明細"),
    "Confirming transfers": T("正在确认转账", "確認緊轉賬", "當咧確認匯款"),
    "The import stopped because of an internal error; nothing was imported.": T(
        "导入因内部错误中止，未导入任何内容。", "導入因為內部錯誤停咗，乜都冇導入。",
        "匯入因為內部錯誤停落來，啥物攏無匯入。"),
    "The statement is being imported; its progress shows below.": T(
        "账单正在导入，进度显示在下方。", "賬單導入緊，進度喺下面。", "帳單當咧匯入，進度佇下跤。"),
    "Matched %(done)s of %(total)s lines": T(
        "已核对 %(done)s / %(total)s 行", "對咗 %(done)s / %(total)s 行",
        "對好 %(done)s / %(total)s 逝"),
    "Confirming the transfers the statement shows": T(
        "正在确认流水中的转账", "確認緊流水入面嘅轉賬", "當咧確認流水內底的匯款"),
    "A large file is imported in the background: its page shows the progress, then the "
    "result.": T("大文件在后台导入：它的页面先显示进度，再显示结果。",
                 "大檔案喺後台導入：佢個頁面會先顯示進度，跟住顯示結果。",
                 "大檔案佇後台匯入：伊的頁面先顯示進度，閣顯示結果。"),
    # --- channel fees ---
    "The same ledger entries were being posted at the same moment; please try again.": T(
        "相同的账目正在同时记账，请重试。", "同樣嘅賬目啱啱同時記緊賬，請再試一次。",
        "仝款的帳目當咧仝時記帳，請閣試一擺。"),
    "Fee": T("手续费", "手續費", "手續費"),
    "Fees posted to the ledger": T("已记入账本的手续费", "記咗入賬簿嘅手續費",
                                   "已經記入帳簿的手續費"),
    "Fees are posted from the trade bill (Alipay business details), where each fee sits on "
    "its own payment or refund; these account details show the same fees again.": T(
        "手续费按交易账单（支付宝业务明细）记账，每笔手续费对应各自的付款或退款；"
        "这份账务明细只是再次列出同样的手续费。",
        "手續費跟交易賬單（支付寶業務明細）記賬，每筆手續費對應返自己嘅付款或者退款；"
        "呢份賬務明細只係再列多次同樣嘅手續費。",
        "手續費照交易帳單（支付寶業務明細）記帳，逐筆手續費對著家己的付款抑是退款；"
        "這份帳務明細干焦閣列一擺仝款的手續費。"),
    "The rest of the fees were posted by an earlier import of the same lines.": T(
        "其余手续费已在之前导入相同明细时记账。", "其餘手續費喺之前導入同一批明細嗰陣記咗賬。",
        "賰的手續費進前匯入仝款明細的時陣已經記帳矣。"),
    "The platform bears the channels' fees: each fee on an imported trade bill moves from "
    "%(bearer)s to the channel's fee account, once per bill line.": T(
        "渠道手续费由平台承担：已导入交易账单上的每笔手续费从 %(bearer)s 转入该渠道的手续费"
        "账户，每行账单只记一次。",
        "渠道手續費由平台負擔：已導入交易賬單上面每筆手續費由 %(bearer)s 轉入嗰個渠道嘅手續費"
        "賬戶，每行賬單只記一次。",
        "通路手續費由平台負擔：已經匯入的交易帳單頂懸逐筆手續費對 %(bearer)s 轉入彼个通路的"
        "手續費帳戶，逐逝帳單干焦記一擺。"),
}
