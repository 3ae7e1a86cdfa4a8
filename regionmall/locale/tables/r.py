"""Payments: corporate bank transfers (对公转账) and reconciliation against channel statements
(helper R)."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    # --- channel and models ---
    "Corporate bank transfer": T("对公转账", "公司轉賬", "公司匯款"),
    "Corporate transfers are confirmed by statement or by an operator, never by a "
    "notification.": T("对公转账只凭银行流水或运营人员确认，不接受通知回调。",
                       "公司轉賬淨係靠銀行流水或者營運同事確認，唔接受通知回調。",
                       "公司匯款干焦靠銀行流水抑是營運人員確認，無接受通知回調。"),
    "Corporate transfers cannot be split at the channel.": T(
        "对公转账不能在渠道侧分账。", "公司轉賬唔可以喺渠道度分賬。", "公司匯款袂當佇通路分帳。"),
    "No such refund.": T("没有这笔退款。", "冇呢筆退款。", "無這筆退款。"),
    "Bank statement": T("银行流水", "銀行流水", "銀行流水"),
    "Operator": T("运营人员", "營運同事", "營運人員"),
    "WeChat Pay trade bill": T("微信支付交易账单", "微信支付交易賬單", "微信支付交易帳單"),
    "Alipay business details (业务明细)": T("支付宝业务明细", "支付寶業務明細", "支付寶業務明細"),
    "Alipay account details (账务明细)": T("支付宝账务明细", "支付寶賬務明細", "支付寶帳務明細"),
    "Processing": T("处理中", "處理緊", "處理中"),
    "Payment": T("付款", "付款", "付款"),
    "Refund": T("退款", "退款", "退款"),
    "Split": T("分账", "分賬", "分帳"),
    "Channel fee": T("渠道手续费", "渠道手續費", "通路手續費"),
    "Incoming transfer": T("转入", "轉入", "轉入"),
    "Outgoing transfer": T("转出", "轉出", "轉出"),
    "Matched": T("已对上", "對得上", "有對著"),
    "Transfer confirmed": T("转账已确认", "轉賬已確認", "匯款已確認"),
    "Mismatch": T("对不上", "對唔上", "對袂著"),
    "Already imported": T("已导入过", "之前導入咗", "進前已經匯入"),
    "Nothing to match": T("无需核对", "唔使對", "免對"),
    "Missing from the statement": T("账单缺少", "賬單冇咗", "帳單內底無"),
    "Amount differs": T("金额不符", "金額唔啱", "金額無仝"),
    "Unknown to us": T("我方无记录", "我哋冇紀錄", "阮遮無紀錄"),
    "State differs": T("状态不符", "狀態唔啱", "狀態無仝"),
    "Open": T("待处理", "未處理", "猶未處理"),
    "Resolved": T("已处理", "處理咗", "處理好矣"),
    # --- services: transfers ---
    "No such transfer payment.": T("没有这笔转账付款。", "冇呢筆轉賬付款。", "無這筆匯款付款。"),
    "The transfer instructions are not ready yet; reload the page.": T(
        "转账信息还没准备好，请刷新页面。", "轉賬資料未準備好，請重新載入頁面。",
        "匯款資料猶未準備好，請重新載入頁面。"),
    "This statement line is not an incoming transfer with a reference.": T(
        "这条流水不是带识别码的转入。", "呢條流水唔係有識別碼嘅轉入。",
        "這條流水毋是有識別碼的轉入。"),
    "Bank statement %(statement)s, line %(line)s": T(
        "银行流水 %(statement)s 第 %(line)s 行", "銀行流水 %(statement)s 第 %(line)s 行",
        "銀行流水 %(statement)s 第 %(line)s 行"),
    "This transfer is already confirmed; no slip is needed.": T(
        "这笔转账已确认，无需再上传回单。", "呢筆轉賬已經確認咗，唔使再上傳回單。",
        "這筆匯款已經確認矣，免閣上傳回單。"),
    "This transfer was already confirmed by another statement line.": T(
        "这笔转账已由另一条流水确认。", "呢筆轉賬已經由另一條流水確認咗。",
        "這筆匯款已經予另外一條流水確認矣。"),
    "This transfer is already confirmed.": T("这笔转账已确认。", "呢筆轉賬已經確認咗。",
                                             "這筆匯款已經確認矣。"),
    "This refund is no longer pending.": T("这笔退款已不在处理中。", "呢筆退款已經唔係處理緊。",
                                           "這筆退款已經毋是處理中。"),
    "The transfer of %(got)s fen does not match the %(due)s fen due.": T(
        "转入 %(got)s 分，与应付 %(due)s 分不符。", "轉入 %(got)s 分，同應付嘅 %(due)s 分唔啱。",
        "轉入 %(got)s 分，佮應付的 %(due)s 分無仝。"),
    # --- services: reconciliation ---
    "No such statement.": T("没有这份账单。", "冇呢份賬單。", "無這份帳單。"),
    "No such mismatch.": T("没有这条差异。", "冇呢條差異。", "無這條差異。"),
    "This mismatch is already resolved.": T("这条差异已处理。", "呢條差異已經處理咗。",
                                            "這條差異已經處理好矣。"),
    "The statement has a payment we have no record of.": T(
        "账单里有一笔我方没有记录的付款。", "賬單有一筆我哋冇紀錄嘅付款。",
        "帳單有一筆阮遮無紀錄的付款。"),
    "The payment appears twice on the statement.": T(
        "这笔付款在账单里出现了两次。", "呢筆付款喺賬單度出現咗兩次。",
        "這筆付款佇帳單內底出現兩擺。"),
    "The statement has a refund we have no record of.": T(
        "账单里有一笔我方没有记录的退款。", "賬單有一筆我哋冇紀錄嘅退款。",
        "帳單有一筆阮遮無紀錄的退款。"),
    "The refund appears twice on the statement.": T(
        "这笔退款在账单里出现了两次。", "呢筆退款喺賬單度出現咗兩次。",
        "這筆退款佇帳單內底出現兩擺。"),
    "The statement has a split we have no record of.": T(
        "账单里有一笔我方没有记录的分账。", "賬單有一筆我哋冇紀錄嘅分賬。",
        "帳單有一筆阮遮無紀錄的分帳。"),
    "Paid here, not on the statement.": T("我方已收款，账单上没有。", "我哋收咗錢，賬單冇。",
                                          "阮遮有收款，帳單頂面無。"),
    "Refunded here, not on the statement.": T("我方已退款，账单上没有。", "我哋退咗款，賬單冇。",
                                              "阮遮有退款，帳單頂面無。"),
    "Split here, not on the statement.": T("我方已分账，账单上没有。", "我哋分咗賬，賬單冇。",
                                           "阮遮有分帳，帳單頂面無。"),
    "Confirmed by an operator, not on the bank statement.": T(
        "运营人员已确认，银行流水上没有。", "營運同事確認咗，銀行流水冇。",
        "營運人員有確認，銀行流水頂面無。"),
    "Found on statement %(statement)s.": T("已在账单 %(statement)s 中找到。",
                                           "喺賬單 %(statement)s 搵到。",
                                           "佇帳單 %(statement)s 揣著矣。"),
    "Choose a statement kind.": T("请选择账单类型。", "請揀賬單類型。", "請揀帳單類型。"),
    "Split on the statement, %(state)s here.": T(
        "账单显示已分账，我方为“%(state)s”。", "賬單顯示分咗賬，我哋係「%(state)s」。",
        "帳單顯示有分帳，阮遮是「%(state)s」。"),
    "Money arrived without a reference we know: %(remark)s": T(
        "收到一笔没有可识别识别码的款项：%(remark)s", "收到一筆冇認得出識別碼嘅錢：%(remark)s",
        "收著一筆無認會出識別碼的錢：%(remark)s"),
    "Reference %(reference)s; a transfer is confirmed only for the exact amount.": T(
        "识别码 %(reference)s；金额完全一致才会确认转账。",
        "識別碼 %(reference)s；金額要完全一樣先會確認轉賬。",
        "識別碼 %(reference)s；金額愛完全仝款才會確認匯款。"),
    "A second transfer with reference %(reference)s: the buyer may have paid twice.": T(
        "识别码 %(reference)s 出现第二笔转账：买家可能重复付款。",
        "識別碼 %(reference)s 有第二筆轉賬：買家可能俾咗兩次錢。",
        "識別碼 %(reference)s 有第二筆匯款：買家可能付兩擺錢。"),
    "At most 300 characters.": T("最多 300 个字符。", "最多 300 個字。", "上濟 300 字。"),
    "Paid on the statement, %(state)s here.": T(
        "账单显示已付款，我方为“%(state)s”。", "賬單顯示俾咗錢，我哋係「%(state)s」。",
        "帳單顯示有付款，阮遮是「%(state)s」。"),
    "Refunded on the statement, %(state)s here.": T(
        "账单显示已退款，我方为“%(state)s”。", "賬單顯示退咗款，我哋係「%(state)s」。",
        "帳單顯示有退款，阮遮是「%(state)s」。"),
    "Could not confirm the transfer: %(error)s": T("无法确认这笔转账：%(error)s",
                                                   "確認唔到呢筆轉賬：%(error)s",
                                                   "無法度確認這筆匯款：%(error)s"),
    "Unexpected error.": T("意外错误。", "出咗意外錯誤。", "意外的錯誤。"),
    # --- statement formats ---
    "The statement could not be read; nothing was imported.": T(
        "账单无法读取，未导入任何内容。", "讀唔到份賬單，乜都冇導入。",
        "帳單讀袂出來，啥物攏無匯入。"),
    "This is not a WeChat Pay bill, an Alipay bill or a bank statement we can read.": T(
        "这不是可识别的微信支付账单、支付宝账单或银行流水。",
        "呢個唔係認得嘅微信支付賬單、支付寶賬單或者銀行流水。",
        "這毋是認會出的微信支付帳單、支付寶帳單抑是銀行流水。"),
    "%(column)s is not a date: %(value)s": T("%(column)s 不是日期：%(value)s",
                                             "%(column)s 唔係日期：%(value)s",
                                             "%(column)s 毋是日期：%(value)s"),
    "The file is not the kind of statement chosen.": T(
        "文件与所选的账单类型不符。", "檔案同揀咗嘅賬單類型唔夾。", "檔案佮揀的帳單類型無仝。"),
    "The header row is missing.": T("缺少表头行。", "冇表頭嗰行。", "欠表頭彼逝。"),
    "The summary at the end of the bill is missing; the file may be cut short.": T(
        "账单末尾缺少汇总，文件可能不完整。", "賬單尾冇總結，檔案可能唔齊。",
        "帳單尾仔欠總結，檔案可能無齊全。"),
    "The amount is zero.": T("金额为零。", "金額係零。", "金額是零。"),
    "The file is neither UTF-8 nor GBK text.": T("文件既不是 UTF-8 也不是 GBK 文本。",
                                                 "檔案唔係 UTF-8 亦唔係 GBK 文字。",
                                                 "檔案毋是 UTF-8 嘛毋是 GBK 文字。"),
    "%(column)s is empty.": T("%(column)s 为空。", "%(column)s 係空嘅。", "%(column)s 是空的。"),
    "The summary counts %(declared)s rows but the file has %(rows)s; the file may be cut "
    "short.": T("汇总记为 %(declared)s 笔，文件中却有 %(rows)s 笔，文件可能不完整。",
                "總結寫住 %(declared)s 筆，檔案入面有 %(rows)s 筆，檔案可能唔齊。",
                "總結寫 %(declared)s 筆，檔案內底有 %(rows)s 筆，檔案可能無齊全。"),
    "The totals at the end do not agree with the rows; the file may be cut short.": T(
        "末尾合计与明细不符，文件可能不完整。", "尾段合計同明細唔夾，檔案可能唔齊。",
        "尾仔的合計佮明細無仝，檔案可能無齊全。"),
    "Both the credit and the debit column have an amount.": T(
        "贷方和借方都有金额。", "貸方同借方都有金額。", "貸方佮借方攏有金額。"),
    "Neither the credit nor the debit column has an amount.": T(
        "贷方和借方都没有金额。", "貸方同借方都冇金額。", "貸方佮借方攏無金額。"),
    "Line %(line)s: %(message)s": T("第 %(line)s 行：%(message)s", "第 %(line)s 行：%(message)s",
                                    "第 %(line)s 逝：%(message)s"),
    "%(column)s is not an amount: %(value)s": T("%(column)s 不是金额：%(value)s",
                                                "%(column)s 唔係金額：%(value)s",
                                                "%(column)s 毋是金額：%(value)s"),
    "Column %(column)s is missing.": T("缺少“%(column)s”列。", "冇「%(column)s」呢欄。",
                                       "欠「%(column)s」這欄。"),
    # --- views ---
    "Slip uploaded. We will confirm the payment once the money arrives.": T(
        "回单已上传，款项到账后我们会确认付款。", "回單上傳咗，錢到咗我哋就會確認付款。",
        "回單已經上傳，錢入來了後阮會確認付款。"),
    "Transfer confirmed; the orders are paid.": T("转账已确认，订单已付款。",
                                                  "轉賬確認咗，訂單已經俾咗錢。",
                                                  "匯款確認矣，訂單已經付款。"),
    "Refund recorded as paid back.": T("已记录退款已打回。", "已經記低退款退返咗。",
                                       "已經記退款有匯轉去矣。"),
    "Statement file (CSV)": T("账单文件（CSV）", "賬單檔案（CSV）", "帳單檔案（CSV）"),
    "Kind": T("类型", "類型", "類型"),
    "Bill date": T("账单日期", "賬單日期", "帳單日期"),
    "Optional: the day a daily bill covers, if the file does not say.": T(
        "可选：日账单所属日期（文件中没有写明时填写）。", "可以唔填：日賬單係邊日（檔案冇寫先填）"
        "。",
        "會使免填：日帳單是佗一工（檔案無寫才填）。"),
    "Mismatch resolved.": T("差异已处理。", "差異處理咗。", "差異處理好矣。"),
    "Recognise from the file": T("根据文件自动识别", "由檔案自動認", "照檔案自動認"),
    "This file was imported before; nothing was counted twice.": T(
        "这个文件之前已导入过，没有重复计算。", "呢個檔案之前導入咗，冇重複計。",
        "這个檔案進前已經匯入，無重複算。"),
    "Statement imported.": T("账单已导入。", "賬單導入咗。", "帳單匯入矣。"),
    "Transfer confirmations": T("转账确认", "轉賬確認", "匯款確認"),
    "Statement imports": T("账单导入", "賬單導入", "帳單匯入"),
    "Reconciliation": T("对账", "對數", "對帳"),
    # --- buyer templates ---
    "From your company's bank account, transfer exactly the amount below to this account.": T(
        "请从贵公司的对公账户，向下面的账户转入与下方完全一致的金额。",
        "請由貴公司嘅公司戶口，轉入同下面一模一樣嘅金額去呢個戶口。",
        "請對恁公司的公司帳戶，匯下跤仝款的金額去這个帳戶。"),
    "Write the reference in the remittance note (附言/用途), exactly as shown.": T(
        "在附言（用途）中准确填写识别码。", "喺附言（用途）度照寫識別碼。",
        "佇附言（用途）照寫識別碼。"),
    "Upload the bank's remittance slip. The orders are paid once the money is matched on our "
    "bank statement, usually within one working day.": T(
        "上传银行回单。款项在我方银行流水中核对上之后订单即付款成功，通常在一个工作日内。",
        "上傳銀行回單。筆錢喺我哋銀行流水對得上之後，訂單就當俾咗錢，通常一個工作天內。",
        "上傳銀行回單。錢佇阮的銀行流水對著了後，訂單就算付款矣，通常一个工作天內。"),
    "Account name": T("户名", "戶口名", "戶名"),
    "Bank": T("开户行", "開戶銀行", "開戶銀行"),
    "Account number": T("账号", "戶口號碼", "帳號"),
    "Amount": T("金额", "金額", "金額"),
    "Reference": T("识别码", "識別碼", "識別碼"),
    "A different amount, or a transfer without the reference, cannot be matched automatically "
    "and takes longer to confirm.": T(
        "金额不一致或未填写识别码的转账无法自动核对，确认会更慢。",
        "金額唔一樣或者冇寫識別碼嘅轉賬對唔到數，確認會慢啲。",
        "金額無仝抑是無寫識別碼的匯款袂當自動對帳，確認會較慢。"),
    "Upload the remittance slip": T("上传转账回单", "上傳轉賬回單", "上傳匯款回單"),
    "Remittance slip": T("转账回单", "轉賬回單", "匯款回單"),
    "Payment received and confirmed.": T("款项已到账并确认。", "錢收到咗，亦確認咗。",
                                         "錢有收著，嘛確認矣。"),
    "No slip uploaded yet.": T("尚未上传回单。", "未上傳回單。", "猶未上傳回單。"),
    "Replace the slip": T("更换回单", "換過張回單", "換回單"),
    "Slip (PDF, JPG or PNG, up to 5 MB)": T("回单（PDF、JPG 或 PNG，最大 5 MB）",
                                            "回單（PDF、JPG 或者 PNG，最多 5 MB）",
                                            "回單（PDF、JPG 抑是 PNG，上濟 5 MB）"),
    "Slip uploaded %(when)s; we are checking the bank statement.": T(
        "回单已于 %(when)s 上传，我们正在核对银行流水。",
        "回單喺 %(when)s 上傳咗，我哋核對緊銀行流水。",
        "回單佇 %(when)s 上傳矣，阮當咧對銀行流水。"),
    "The time to pay has run out. If you have already transferred the money, upload the slip: "
    "it will be refunded to your account.": T(
        "付款时间已过。如果您已经转账，请上传回单，款项将退回您的账户。",
        "付款時間過咗。如果你已經轉咗賬，請上傳回單，錢會退返去你個戶口。",
        "付款時間過矣。若恁已經匯款，請上傳回單，錢會退轉去恁的帳戶。"),
    "This payment is no longer open.": T("这笔付款已关闭。", "呢筆付款已經閂咗。",
                                         "這筆付款已經關矣。"),
    # --- platform templates ---
    "Corporate transfers are confirmed automatically when an imported bank statement shows the "
    "exact amount with the reference. Confirm one by hand only after checking the bank "
    "account, and say how you checked.": T(
        "导入的银行流水中出现金额一致且带识别码的转入时，系统自动确认转账。只有在核实银行账户后才可手工确认，"
        "并写明核实方式。",
        "導入嘅銀行流水有金額一樣又有識別碼嘅轉入，系統會自動確認。要睇過銀行戶口先好手動確認，"
        "仲要寫低點樣核實。",
        "匯入的銀行流水有金額仝款閣有識別碼的轉入，系統會自動確認。愛先看過銀行帳戶才通手動確認，"
        "閣愛寫按怎確認的。"),
    "Waiting for the money": T("等待到账", "等緊錢入數", "等錢入來"),
    "Slip": T("回单", "回單", "回單"),
    "Started": T("发起时间", "開始時間", "開始時間"),
    "Refunds to pay back by transfer": T("待转账退回的退款", "要轉賬退返嘅退款",
                                         "愛匯款退轉去的退款"),
    "Bank receipt number": T("银行回单号", "銀行回單號碼", "銀行回單號碼"),
    "Paid back": T("已打回", "退返咗", "匯轉去矣"),
    "Recently confirmed": T("最近确认", "最近確認", "最近確認"),
    "Confirmed by": T("确认人", "確認人", "確認的人"),
    "Confirmed": T("已确认", "確認咗", "確認矣"),
    "Statement line": T("流水行", "流水行", "流水逝"),
    "Confirm by hand": T("手工确认", "手動確認", "手動確認"),
    "Only when the money is in the collection account: the orders are then paid and the "
    "merchants told to ship.": T(
        "仅在款项已进入收款账户时操作：确认后订单即为已付款，商家会收到发货通知。",
        "淨係喺錢入咗收款戶口先好做：確認之後訂單就當俾咗錢，商家會收到出貨通知。",
        "干焦佇錢入去收款帳戶才通做：確認了訂單就算付款，頭家會收著出貨通知。"),
    "Reason (how you checked)": T("原因（如何核实）", "原因（點樣核實）", "原因（按怎確認）"),
    "Confirm the transfer": T("确认这笔转账", "確認呢筆轉賬", "確認這筆匯款"),
    "Import a statement": T("导入账单", "導入賬單", "匯入帳單"),
    "A WeChat Pay trade bill, an Alipay bill (business or account details) or the collection "
    "account's bank statement, as CSV. Importing the same file again changes nothing.": T(
        "微信支付交易账单、支付宝账单（业务明细或账务明细）或收款账户的银行流水，CSV 格式。"
        "同一文件重复导入不会有任何变化。",
        "微信支付交易賬單、支付寶賬單（業務明細或者賬務明細）或者收款戶口嘅銀行流水，CSV 格式。"
        "同一個檔案再導入一次乜都唔會變。",
        "微信支付交易帳單、支付寶帳單（業務明細抑是帳務明細）抑是收款帳戶的銀行流水，CSV 格式。"
        "仝一个檔案閣匯入一擺啥物攏袂變。"),
    "Imported": T("已导入", "已導入", "已匯入"),
    "Period": T("期间", "期間", "期間"),
    "Lines": T("行数", "行數", "逝數"),
    "Mismatches": T("差异", "差異", "差異"),
    "Transfers confirmed": T("已确认转账", "確認咗嘅轉賬", "確認的匯款"),
    "Channel fees": T("渠道手续费", "渠道手續費", "通路手續費"),
    "Everything on this statement agrees with our records.": T(
        "这份账单与我方记录完全一致。", "呢份賬單同我哋紀錄完全對得上。",
        "這份帳單佮阮的紀錄攏對會著。"),
    "Outcome": T("结果", "結果", "結果"),
    "Imported by %(who)s at %(when)s.": T("由 %(who)s 于 %(when)s 导入。",
                                          "由 %(who)s 喺 %(when)s 導入。",
                                          "由 %(who)s 佇 %(when)s 匯入。"),
    "Where a channel's statement and our records disagree. Find out why, then resolve each one "
    "with a reason; a later statement that shows a missing item resolves it by itself.": T(
        "渠道账单与我方记录不一致之处。查明原因后逐条填写原因处理；之后导入的账单如出现原先缺少的项目，"
        "会自动处理。",
        "渠道賬單同我哋紀錄唔夾嘅地方。搵出原因之後逐條寫原因處理；之後導入嘅賬單如果有返之前冇嘅項目，"
        "會自動處理。",
        "通路帳單佮阮的紀錄無仝的所在。揣出原因了後一條一條寫原因處理；後來匯入的帳單若有進前欠的項目，"
        "會自動處理。"),
    "Channel": T("渠道", "渠道", "通路"),
    "Ours": T("我方", "我哋", "阮遮"),
    "Resolve": T("处理", "處理", "處理"),
    "Automatically": T("自动", "自動", "自動"),
    "line %(n)s": T("第 %(n)s 行", "第 %(n)s 行", "第 %(n)s 逝"),
}
