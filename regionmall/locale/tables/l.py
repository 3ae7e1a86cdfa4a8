"""Payments: ledger, settlement (splits), withdrawals, commission rates, sub-merchants (L)."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    # --- model choice labels shown on the settlement pages (payments models) ---
    "Outside world": T("外部", "外界", "外口"),
    "Platform clearing": T("平台清算户", "平台清算戶口", "平台清算戶頭"),
    "Held at the channel": T("渠道冻结中", "喺渠道凍結緊", "佇通路凍結中"),
    "Merchant": T("商家", "商戶", "店家"),
    "Platform revenue": T("平台收入", "平台收入", "平台收入"),
    "Subsidy fund": T("补贴资金", "補貼基金", "補貼基金"),
    "Rebates": T("返利", "回贈", "回饋"),
    "Channel profit sharing": T("渠道分账", "渠道分賬", "通路分賬"),
    "Platform ledger": T("平台记账", "平台記賬", "平台記賬"),
    "Pending verification": T("待核验", "等緊核實", "等待核對"),
    "Waiting for the after-sales window": T(
        "售后期内，待结算",
        "售後期內，等緊結算",
        "售後期內，等待結算"),
    "Requested at the channel": T("已提交渠道", "已經交俾渠道", "已經送去通路"),
    "Settled": T("已结算", "已經結算", "已經結算"),
    "Nothing to settle": T("无需结算", "唔使結算", "免結算"),
    "Awaiting approval": T("待审批", "等緊審批", "等待審批"),
    "Paid out": T("已打款", "已經過數", "已經匯款"),
    # --- merchant console: settlements, balance, statement, payment accounts ---
    "Settlements": T("结算", "結算", "結算"),
    "Settled to you": T("已结算给您", "已經結咗俾你", "已經結算予你"),
    "shares of settled orders, subsidies included": T(
        "已结算订单的分成，含补贴",
        "已結算訂單嘅分成，包埋補貼",
        "已結算訂單的分成，補貼嘛算在內"),
    "Awaiting settlement": T("待结算", "等緊結算", "等待結算"),
    "completed orders in the after-sales window": T(
        "售后期内的已完成订单",
        "售後期內已完成嘅訂單",
        "售後期內已經完成的訂單"),
    "Available to withdraw": T("可提现", "可以提現", "會使提領"),
    "Withdrawals in progress": T("提现处理中", "提現處理緊", "提領處理中"),
    "paid, frozen until settlement": T(
        "已付款，结算前冻结",
        "已俾錢，結算之前凍結",
        "已經付款，結算進前凍結"),
    "When an order's after-sales window has passed, its payment is shared out: the platform's co"
    "mmission and any logistics share are deducted and the rest is credited to your balance.": T(
        "订单售后期结束后进行分账：扣除平台佣金和物流分成，其余计入您的余额。",
        "訂單售後期過咗之後就會分賬：扣除平台佣金同物流分成，其餘入你嘅餘額。",
        "訂單售後期過了就會分賬：扣掉平台佣金佮物流分成，賰的入你的餘額。"),
    "When an order's after-sales window has passed, the payment channel shares it out: the platf"
    "orm's commission and any logistics share go to their receivers and the rest is released to "
    "your own merchant account at the channel.": T(
        "订单售后期结束后由支付渠道分账：平台佣金和物流分成划给各自的接收方，其余解冻到您在渠道"
        "的商户账户。",
        "訂單售後期過咗之後由支付渠道分賬：平台佣金同物流分成轉去各自嘅接收方，其餘解凍到你喺渠"
        "道嘅商戶戶口。",
        "訂單售後期過了由支付通路分賬：平台佣金佮物流分成轉予個別的收款方，賰的解凍到你佇通路的"
        "商家戶頭。"),
    "Paid for the order": T("订单实付", "訂單實付", "訂單實付"),
    "Settles on": T("预计结算日", "預計結算日", "預計結算日"),
    "Platform commission": T("平台佣金", "平台佣金", "平台佣金"),
    "Logistics share": T("物流分成", "物流分成", "物流分成"),
    "Subsidy from the fund": T("补贴资金拨付", "補貼基金撥款", "補貼基金撥款"),
    "Your share": T("您的所得", "你嘅所得", "你的所得"),
    "Settled at": T("结算于", "結算時間", "結算時間"),
    "No settlements yet: an order is settled after it completes and its after-sales window has p"
    "assed.": T(
        "暂无结算：订单完成且售后期结束后才会结算。",
        "暫時未有結算：訂單完成兼且售後期過咗先會結算。",
        "猶未有結算：訂單完成閣售後期過了才會結算。"),
    "Refunded after settlement (%(number)s)": T(
        "结算后退款（%(number)s）",
        "結算之後退款（%(number)s）",
        "結算了後退款（%(number)s）"),
    "Balance and withdrawals": T("余额与提现", "餘額同提現", "餘額佮提領"),
    "Your money goes straight to your own account": T(
        "货款直接进入您自己的账户",
        "貨款直接入你自己嘅戶口",
        "貨款直接入你家己的戶頭"),
    "Payments here are settled by the payment channel (profit sharing): when an order is settled"
    ", the channel releases your share to your own merchant account at the channel, and you with"
    "draw it there. The platform never holds your money, so there is nothing to withdraw on this"
    " page.": T(
        "本平台的货款由支付渠道分账结算：订单结算时，渠道把您的所得解冻到您在渠道的商户账户，您"
        "在渠道提现即可。平台从不经手您的资金，因此本页无需提现。",
        "呢度嘅貨款由支付渠道分賬結算：訂單結算嗰陣，渠道會將你嘅所得解凍到你喺渠道嘅商戶戶口，"
        "你喺渠道提現就得。平台從來唔會經手你嘅錢，所以呢頁唔使提現。",
        "遮的貨款由支付通路分賬結算：訂單結算的時，通路共你的所得解凍到你佇通路的商家戶頭，你佇"
        "通路提領就好。平台從來毋經手你的錢，所以這頁免提領。"),
    "Your merchant accounts at the channels are listed under Payment accounts; the statement sho"
    "ws every movement.": T(
        "您在各渠道的商户号见“收款账户”；每一笔资金往来见“对账单”。",
        "你喺各渠道嘅商戶號喺「收款戶口」度睇；每一筆進出喺「對賬單」度睇。",
        "你佇各通路的商家號佇「收款戶頭」看；逐筆進出佇「對賬單」看。"),
    "Payment accounts": T("收款账户", "收款戶口", "收款戶頭"),
    "Statement": T("对账单", "對賬單", "對賬單"),
    "Withdraw to your bank account": T("提现到银行账户", "提現到銀行戶口", "提領到銀行戶頭"),
    "Amount (yuan)": T("金额（元）", "金額（蚊）", "金額（箍）"),
    "Account holder": T("开户名", "戶口持有人", "開戶名"),
    "Request withdrawal": T("申请提现", "申請提現", "申請提領"),
    "Only the shop's owner can withdraw money.": T(
        "只有店主可以提现。",
        "得舖頭老闆先可以提現。",
        "干焦頭家會使提領。"),
    "Withdrawals": T("提现", "提現", "提領"),
    "Requested at": T("申请时间", "申請時間", "申請時間"),
    "No withdrawals yet.": T("暂无提现记录。", "暫時未有提現紀錄。", "猶未有提領紀錄。"),
    "e.g. Agricultural Bank of China, Dongyang branch": T(
        "例如：中国农业银行东阳支行",
        "例如：中國農業銀行東陽支行",
        "比如：中國農業銀行東陽支行"),
    "Balance": T("余额", "餘額", "餘額"),
    "Export CSV": T("导出 CSV", "匯出 CSV", "匯出 CSV"),
    "No money has moved for your shop yet.": T(
        "您的店铺还没有资金往来。",
        "你間舖頭仲未有資金進出。",
        "你的店猶未有錢的進出。"),
    "To receive payments with profit sharing, your shop is registered at each payment channel as"
    " a sub-merchant. The platform checks that the channel's record (registered name and credit "
    "code) matches your shop before any money is routed to it.": T(
        "为了以分账方式收款，您的店铺在各支付渠道登记为子商户。平台会先核对渠道登记的名称和统一"
        "社会信用代码与您的店铺一致，然后才会把资金结算给它。",
        "為咗用分賬方式收款，你間舖頭喺各支付渠道登記做子商戶。平台會先核對渠道登記嘅名稱同統一"
        "社會信用代碼同你間舖頭一致，先至會將錢結算俾佢。",
        "為著用分賬方式收款，你的店佇各支付通路登記做子商家。平台會先核對通路登記的名稱佮統一社"
        "會信用代碼佮你的店相仝，才會共錢結算予伊。"),
    "Sub-merchant id": T("子商户号", "子商戶號", "子商家號"),
    "Registered name": T("登记名称", "登記名稱", "登記名稱"),
    "Verified at": T("核验时间", "核實時間", "核對時間"),
    "Your shop is not registered at any payment channel yet.": T(
        "您的店铺尚未在任何支付渠道登记。",
        "你間舖頭仲未喺任何支付渠道登記。",
        "你的店猶未佇任何支付通路登記。"),
    "Not yet registered at": T("尚未登记的渠道", "未登記嘅渠道", "猶未登記的通路"),
    "Please send your merchant id from the channel to the platform operator; buyers cannot pay y"
    "our shop through a channel until it is verified.": T(
        "请把您在该渠道的商户号提供给平台运营人员；核验通过前，买家无法通过该渠道向您的店铺付款"
        "。",
        "請將你喺嗰個渠道嘅商戶號交俾平台營運；核實之前，買家唔可以經嗰個渠道俾錢你間舖頭。",
        "請共你佇彼个通路的商家號交予平台營運；核對進前，人客袂當經彼个通路付款予你的店。"),
    # --- platform console: ledger, split queue, withdrawals, rates, sub-merchants ---
    "Ledger": T("账本", "賬簿", "賬簿"),
    "Ledger entries": T("记账凭证", "記賬紀錄", "記賬紀錄"),
    "Accounts": T("账户", "戶口", "戶頭"),
    "Entries": T("凭证", "紀錄", "紀錄"),
    "Check the ledger": T("核对账本", "核對賬簿", "核對賬簿"),
    "Check again": T("再次核对", "再核對一次", "閣核對一擺"),
    "Sums, balances, and every payment, refund and split against its entries (as manage.py check"
    "_ledger).": T(
        "核对合计、余额，以及每笔支付、退款、分账与凭证是否一致（同 manage.py check_ledger）。",
        "核對總數、餘額，同埋每筆付款、退款、分賬同紀錄係咪一致（同 manage.py check_ledger 一樣"
        "）。",
        "核對總數、餘額，佮逐筆付款、退款、分賬佮紀錄敢有相仝（仝 manage.py check_ledger）。"),
    "The ledger is whole: it sums to zero and every balance matches its postings.": T(
        "账本完整：合计为零，每个余额都与明细相符。",
        "賬簿完整：總數係零，每個餘額都同明細夾得埋。",
        "賬簿完整：總數是零，逐个餘額攏佮明細相合。"),
    "%(n)s problem found:": T("发现 %(n)s 个问题：", "搵到 %(n)s 個問題：", "揣著 %(n)s 个問題："),
    "All accounts": T("全部账户", "全部戶口", "全部戶頭"),
    "Show": T("显示", "顯示", "顯示"),
    "No money has moved yet.": T("还没有资金往来。", "仲未有資金進出。", "猶未有錢的進出。"),
    "Order, payment, refund, split or channel number": T(
        "订单、支付、退款、分账或渠道单号",
        "訂單、付款、退款、分賬或者渠道單號",
        "訂單、付款、退款、分賬抑是通路單號"),
    "reverses an earlier entry": T("冲销之前的凭证", "沖銷之前嘅紀錄", "沖銷進前的紀錄"),
    "No entries match.": T("没有匹配的凭证。", "冇相符嘅紀錄。", "無符合的紀錄。"),
    "Split queue": T("分账队列", "分賬隊列", "分賬隊列"),
    "Merchant's share": T("商家所得", "商戶所得", "店家所得"),
    "due": T("到期", "到期", "到期"),
    "Retry": T("重试", "再試", "閣試"),
    "Mark paid": T("标记已打款", "標記已過數", "標記已匯款"),
    "Bank transfer reference": T("银行转账流水号", "銀行轉賬編號", "銀行轉賬編號"),
    "This deployment settles through the payment channels (profit sharing): merchants are paid b"
    "y the channel, so there are no withdrawals to approve.": T(
        "本平台通过支付渠道分账结算：商家由渠道直接结算，因此没有需要审批的提现。",
        "呢個平台經支付渠道分賬結算：商戶由渠道直接收錢，所以冇提現要審批。",
        "這个平台經支付通路分賬結算：店家由通路直接收錢，所以無提領愛審批。"),
    "Commission rates": T("佣金费率", "佣金費率", "佣金費率"),
    "Rate": T("费率", "費率", "費率"),
    "Own rate": T("本类目费率", "本類目費率", "本類目費率"),
    "inherited": T("继承", "承繼", "承接"),
    "inherit": T("继承", "承繼", "承接"),
    "Own rate of %(name)s in percent": T(
        "%(name)s 的费率（百分比）",
        "%(name)s 嘅費率（百分比）",
        "%(name)s 的費率（百分比）"),
    "A category without its own rate uses its parent's, then the platform default of %(rate)s. R"
    "ates apply when an order is settled; settled orders keep the rate they were settled at. Lea"
    "ve the field empty to inherit.": T(
        "未单独设置费率的类目沿用上级类目的费率，再没有则用平台默认的 %(rate)s。费率在订单结算时"
        "生效，已结算的订单保持结算时的费率。留空即为继承。",
        "冇自己費率嘅類目會用上一級類目嘅費率，再冇就用平台預設嘅 %(rate)s。費率喺訂單結算嗰陣生"
        "效，已結算嘅訂單保持結算時嘅費率。留空即係承繼。",
        "無家己費率的類目用頂一層類目的費率，閣無就用平台預設的 %(rate)s。費率佇訂單結算的時生效"
        "，已經結算的訂單保持結算時的費率。留空就是承接。"),
    "Sub-merchants": T("子商户", "子商戶", "子商家"),
    "A merchant's id at a payment channel is verified against the channel's own record (register"
    "ed name and credit code) before payments with profit sharing are routed to it.": T(
        "商家在支付渠道的商户号须与渠道登记的名称和统一社会信用代码核验一致，才能以分账方式收款"
        "。",
        "商戶喺支付渠道嘅商戶號要同渠道登記嘅名稱同統一社會信用代碼核實一致，先可以用分賬方式收"
        "款。",
        "店家佇支付通路的商家號愛佮通路登記的名稱佮統一社會信用代碼核對相仝，才會當用分賬方式收"
        "款。"),
    "Register a sub-merchant": T("登记子商户", "登記子商戶", "登記子商家"),
    "Register and verify": T("登记并核验", "登記兼核實", "登記閣核對"),
    "No sub-merchants registered yet.": T(
        "尚未登记子商户。",
        "仲未登記子商戶。",
        "猶未登記子商家。"),
    "Credit code": T("统一社会信用代码", "統一社會信用代碼", "統一社會信用代碼"),
    "Verify again": T("重新核验", "重新核實", "重新核對"),
    # --- statement export and ledger kinds ---
    "Entry": T("凭证", "紀錄", "紀錄"),
    "Balance after (yuan)": T("变动后余额（元）", "變動後餘額（蚊）", "變動了後餘額（箍）"),
    "Settlement": T("结算", "結算", "結算"),
    "Shares returned": T("分账回退", "分賬退回", "分賬退轉來"),
    "Withdrawal": T("提现", "提現", "提領"),
    "Rebate": T("返利", "回贈", "回饋"),
    "Reversal": T("冲销", "沖銷", "沖銷"),
    # --- messages ---
    "Enter an amount in yuan, e.g. 1280.50.": T(
        "请输入以元为单位的金额，例如 1280.50。",
        "請輸入以蚊做單位嘅金額，例如 1280.50。",
        "請輸入用箍做單位的金額，比如 1280.50。"),
    "Withdrawal %(number)s of %(amount)s yuan requested.": T(
        "已申请提现 %(number)s，金额 %(amount)s 元。",
        "已經申請提現 %(number)s，金額 %(amount)s 蚊。",
        "已經申請提領 %(number)s，金額 %(amount)s 箍。"),
    "Split %(number)s: %(state)s.": T(
        "分账 %(number)s：%(state)s。",
        "分賬 %(number)s：%(state)s。",
        "分賬 %(number)s：%(state)s。"),
    "Choose a merchant.": T("请选择商家。", "請揀商戶。", "請揀店家。"),
    "%(id)s is verified.": T("%(id)s 已核验通过。", "%(id)s 已經核實。", "%(id)s 已經核對通過。"),
    "%(id)s was rejected: %(why)s": T(
        "%(id)s 未通过核验：%(why)s",
        "%(id)s 核實唔通過：%(why)s",
        "%(id)s 核對無通過：%(why)s"),
    "Unknown ledger account %(code)s.": T(
        "未知的账户 %(code)s。",
        "唔識嘅戶口 %(code)s。",
        "毋捌的戶頭 %(code)s。"),
    "Ledger amounts are whole fen.": T(
        "记账金额必须是整数分。",
        "記賬金額一定要係整數分。",
        "記賬金額愛是整數分。"),
    "A posting of zero fen moves nothing.": T(
        "零分的记账没有意义。",
        "零分嘅記賬冇意思。",
        "零分的記賬無意義。"),
    "An entry needs postings.": T("凭证必须有明细。", "紀錄一定要有明細。", "紀錄愛有明細。"),
    "An entry's postings must add up to zero.": T(
        "凭证明细合计必须为零。",
        "紀錄明細加埋一定要係零。",
        "紀錄明細加起來愛是零。"),
    "Ledger entry %(key)s was already posted with other amounts.": T(
        "凭证 %(key)s 已按其他金额记账。",
        "紀錄 %(key)s 已經用第二啲金額記咗賬。",
        "紀錄 %(key)s 已經用別的金額記賬矣。"),
    "Say why this entry is reversed.": T(
        "请说明冲销原因。",
        "請講低點解要沖銷。",
        "請講是按怎愛沖銷。"),
    "No such split.": T("没有这笔分账。", "冇呢筆分賬。", "無這筆分賬。"),
    "The channel refused the split.": T("渠道拒绝了分账。", "渠道拒絕咗分賬。", "通路拒絕分賬。"),
    "Only a failed split can be retried.": T(
        "只有失败的分账可以重试。",
        "得失敗咗嘅分賬先可以再試。",
        "干焦失敗的分賬會當閣試。"),
    "This order's money is being settled at the channel right now. Please try the refund again i"
    "n a few minutes.": T(
        "该订单的款项正在渠道分账中，请几分钟后再退款。",
        "呢張訂單嘅錢啱啱喺渠道分賬緊，請過幾分鐘再退款。",
        "這張訂單的錢當咧佇通路分賬，請幾分鐘後閣退款。"),
    "The channel refused to return the %(kind)s share.": T(
        "渠道拒绝回退%(kind)s分成。",
        "渠道拒絕退返%(kind)s分成。",
        "通路拒絕退轉%(kind)s分成。"),
    "A rate is 0 to 10000 basis points (0 % to 100 %).": T(
        "费率为 0 至 10000 个基点（0% 至 100%）。",
        "費率係 0 至 10000 個基點（0% 至 100%）。",
        "費率是 0 到 10000 个基點（0% 到 100%）。"),
    "No such merchant.": T("没有这个商家。", "冇呢個商戶。", "無這个店家。"),
    "Choose a channel this deployment uses.": T(
        "请选择本平台启用的渠道。",
        "請揀呢個平台用緊嘅渠道。",
        "請揀這个平台有開的通路。"),
    "4 to 64 letters, digits, - or _.": T(
        "4 至 64 位字母、数字、- 或 _。",
        "4 至 64 個字母、數字、- 或者 _。",
        "4 到 64 个字母、數字、- 抑是 _。"),
    "This sub-merchant id is already registered for another merchant.": T(
        "该子商户号已登记给其他商家。",
        "呢個子商戶號已經登記咗俾第二個商戶。",
        "這个子商家號已經登記予別的店家矣。"),
    "Already in use.": T("已被使用。", "已經有人用緊。", "已經有人用矣。"),
    "No such sub-merchant.": T("没有这个子商户。", "冇呢個子商戶。", "無這个子商家。"),
    "the channel reports this sub-merchant as inactive": T(
        "渠道显示该子商户未启用",
        "渠道話呢個子商戶未啟用",
        "通路講這个子商家無啟用"),
    "registered name “%(theirs)s” differs from “%(ours)s”": T(
        "登记名称“%(theirs)s”与“%(ours)s”不一致",
        "登記名稱「%(theirs)s」同「%(ours)s」唔一樣",
        "登記名稱「%(theirs)s」佮「%(ours)s」無仝"),
    "credit code “%(theirs)s” differs from “%(ours)s”": T(
        "信用代码“%(theirs)s”与“%(ours)s”不一致",
        "信用代碼「%(theirs)s」同「%(ours)s」唔一樣",
        "信用代碼「%(theirs)s」佮「%(ours)s」無仝"),
    "Withdrawals are not used here: the payment channel settles each merchant's money straight t"
    "o the merchant's own account.": T(
        "本平台不使用提现：支付渠道直接把货款结算到商家自己的账户。",
        "呢個平台唔使提現：支付渠道直接將貨款結算到商戶自己嘅戶口。",
        "這个平台無咧提領：支付通路直接共貨款結算到店家家己的戶頭。"),
    "Enter an amount greater than zero.": T(
        "请输入大于零的金额。",
        "請輸入大過零嘅金額。",
        "請輸入比零較大的金額。"),
    "Enter the bank's name.": T("请填写开户银行。", "請填開戶銀行。", "請寫開戶銀行。"),
    "Enter the account holder's name.": T("请填写开户名。", "請填戶口持有人。", "請寫開戶名。"),
    "A bank account number has 8 to 30 digits.": T(
        "银行账号为 8 至 30 位数字。",
        "銀行戶口號碼係 8 至 30 個數字。",
        "銀行戶頭號碼是 8 到 30 个數字。"),
    "Missing request key; reload the page.": T(
        "缺少请求标识，请刷新页面。",
        "冇請求編號，請重新載入頁面。",
        "欠請求編號，請重新載入頁面。"),
    "This request was already made with another amount.": T(
        "这笔申请已按其他金额提交过。",
        "呢個申請已經用第二個金額交過。",
        "這个申請已經用別的金額送過矣。"),
    "You can withdraw at most %(available)s fen.": T(
        "您最多可提现 %(available)s 分。",
        "你最多可以提現 %(available)s 分。",
        "你上濟會使提領 %(available)s 分。"),
    "More than your available balance.": T(
        "超过可提现余额。",
        "多過可以提現嘅餘額。",
        "超過會使提領的餘額。"),
    "No such withdrawal.": T("没有这笔提现。", "冇呢筆提現。", "無這筆提領。"),
    "This withdrawal is “%(state)s”, so it cannot be changed that way.": T(
        "该提现当前为“%(state)s”，不能这样修改。",
        "呢筆提現而家係「%(state)s」，唔可以咁改。",
        "這筆提領這馬是「%(state)s」，袂當按呢改。"),
    "Tell the merchant why.": T("请告诉商家原因。", "請話俾商戶知點解。", "請共店家講原因。"),
    "The merchant's balance (%(balance)s fen) no longer covers this withdrawal; reject it with a"
    " reason.": T(
        "商家余额（%(balance)s 分）已不足以支付这笔提现，请驳回并说明原因。",
        "商戶餘額（%(balance)s 分）已經唔夠俾呢筆提現，請退回並講明原因。",
        "店家餘額（%(balance)s 分）已經無夠付這筆提領，請退轉閣講明原因。"),
}
