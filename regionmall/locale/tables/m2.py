"""Marketing, helper M2: member levels (RFM), distributor rebates, festival campaigns,
live-stream link and follow-up QR code."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    # --- errors and messages of the services ---
    "No scores for this user.": T("该用户暂无评分。", "呢個用戶未有評分。", "這个用戶猶無評分。"),
    "No rebate programme yet.": T("尚未设置返利方案。", "仲未設定回贈方案。", "猶未設定返利方案。"),
    "No such campaign.": T("没有这个活动。", "冇呢個活動。", "無這个活動。"),
    "Nothing set yet.": T("尚未设置。", "仲未設定。", "猶未設定。"),
    "Super VIP must ask at least as much as VIP in every score.": T(
        "超级VIP的每项分数要求不能低于VIP。",
        "超級VIP每項分數嘅要求唔可以低過VIP。",
        "超級VIP逐項分數的要求袂使比VIP較低。"),
    "Only VIP and super VIP levels carry benefits.": T(
        "只有VIP和超级VIP等级设有权益。",
        "只有VIP同超級VIP等級先有福利。",
        "干焦VIP佮超級VIP等級有權益。"),
    "Complete an order (your last one must be at most %(days)s days old).": T(
        "完成一笔订单（最近一笔须在 %(days)s 天内）。",
        "完成一張訂單（最近嗰張要喺 %(days)s 日之內）。",
        "完成一張訂單（上尾一張愛佇 %(days)s 工內）。"),
    "%(count)s more completed orders within %(days)s days.": T(
        "%(days)s 天内再完成 %(count)s 笔订单。",
        "%(days)s 日內再完成 %(count)s 張訂單。",
        "%(days)s 工內閣完成 %(count)s 張訂單。"),
    "Spend %(amount)s more within %(days)s days.": T(
        "%(days)s 天内再消费 %(amount)s。",
        "%(days)s 日內再使 %(amount)s。",
        "%(days)s 工內閣開 %(amount)s。"),
    "Raise your total score to %(total)s: order more often or spend more.": T(
        "把总分提高到 %(total)s：多下单或多消费。",
        "將總分提升到 %(total)s：多啲落單或者多啲消費。",
        "共總分提懸到 %(total)s：較捷落單抑是加開寡。"),
    "Enter four different positive numbers, smallest first.": T(
        "请输入四个不同的正数，从小到大。",
        "請輸入四個唔同嘅正數，由細到大。",
        "請輸入四个無仝款的正數，對細排到大。"),
    "Enter a whole number from %(low)s to %(high)s.": T(
        "请输入 %(low)s 到 %(high)s 之间的整数。",
        "請輸入 %(low)s 至 %(high)s 之間嘅整數。",
        "請輸入 %(low)s 到 %(high)s 中間的整數。"),
    "Choose VIP or super VIP.": T(
        "请选择VIP或超级VIP。", "請揀VIP或者超級VIP。", "請揀VIP抑是超級VIP。"),
    "Enter a percentage from 0 to 50.": T(
        "请输入 0 到 50 之间的百分比。",
        "請輸入 0 至 50 之間嘅百分比。",
        "請輸入 0 到 50 中間的百分比。"),
    "Enter four numbers separated by commas.": T(
        "请输入四个数，用逗号分隔。", "請輸入四個數，用逗號分開。", "請輸入四个數，用逗號隔開。"),
    "Enter ids separated by commas.": T(
        "请输入编号，用逗号分隔。", "請輸入編號，用逗號分開。", "請輸入編號，用逗號隔開。"),
    "Add at least one tier.": T("请至少添加一档。", "請至少加一級。", "請上少加一級。"),
    "Volume (yuan)": T("采购额（元）", "採購額（元）", "採購額（箍）"),
    "Tier from (yuan)": T("档位起点（元）", "級別起點（元）", "級別起點（箍）"),
    "Rebate (yuan)": T("返利（元）", "回贈（元）", "返利（箍）"),
    "Ledger entry": T("记账凭证", "記帳憑證", "記數憑證"),
    "Credited at": T("入账时间", "入帳時間", "入數時間"),
    "Enter a purchase volume above zero.": T(
        "请输入大于零的采购额。", "請輸入大過零嘅採購額。", "請輸入大過零的採購額。"),
    "Enter a rate from 0.01 to 20 (per cent).": T(
        "请输入 0.01 到 20 之间的比例（%）。",
        "請輸入 0.01 至 20 之間嘅比例（%）。",
        "請輸入 0.01 到 20 中間的比例（%）。"),
    "At most %(count)s tiers.": T(
        "最多 %(count)s 档。", "最多 %(count)s 級。", "上濟 %(count)s 級。"),
    "Each tier needs a higher volume and a higher rate than the one before it.": T(
        "每一档的采购额和返利比例都要高于上一档。",
        "每一級嘅採購額同回贈比例都要高過上一級。",
        "逐級的採購額佮返利比例攏愛比頂一級較懸。"),
    "Choose monthly or quarterly.": T(
        "请选择按月或按季度。", "請揀按月或者按季。", "請揀照月抑是照季。"),
    "%(year)s New Year goods fair": T("%(year)s 年货节", "%(year)s 年貨節", "%(year)s 年貨節"),
    "Stock up for the Spring Festival with the region's own goods": T(
        "买本地好货，过红火大年", "買本地好嘢，過個熱鬧新年", "買本地好物，過一个鬧熱的年"),
    "%(year)s Dragon Boat Festival": T("%(year)s 端午节", "%(year)s 端午節", "%(year)s 五日節"),
    "Zongzi, salted eggs and summer tea from local farms": T(
        "粽子、咸鸭蛋和夏茶，来自本地农家",
        "糉、鹹蛋同夏茶，嚟自本地農家",
        "粽、鹹卵佮夏茶，對本地農家來"),
    "%(year)s Mid-Autumn Festival": T("%(year)s 中秋节", "%(year)s 中秋節", "%(year)s 中秋節"),
    "Mooncakes, fruit and gift boxes for the reunion": T(
        "月饼、鲜果和礼盒，团圆好礼", "月餅、生果同禮盒，團圓好禮", "月餅、果子佮禮盒，團圓好禮"),
    "%(year)s Farmers' Harvest Festival": T(
        "%(year)s 中国农民丰收节", "%(year)s 中國農民豐收節", "%(year)s 中國農民豐收節"),
    "Fresh from this year's harvest, straight from the growers": T(
        "今年新收成，产地直发", "今年新收成，產地直送", "今年新收成，產地直送"),
    "The image is larger than 3 MB.": T("图片超过 3 MB。", "圖片大過 3 MB。", "圖片超過 3 MB。"),
    "Sign-up for this campaign is closed.": T(
        "该活动已截止报名。", "呢個活動已經截止報名。", "這个活動已經截止報名。"),
    "Only products on sale can join a campaign.": T(
        "只有在售商品才能报名活动。",
        "只有上架緊嘅商品先可以報名。",
        "干焦咧賣的商品才會當報名活動。"),
    "Upload a PNG, JPEG or WebP image.": T(
        "请上传 PNG、JPEG 或 WebP 图片。",
        "請上載 PNG、JPEG 或者 WebP 圖片。",
        "請上傳 PNG、JPEG 抑是 WebP 圖片。"),
    "There is already a campaign for this festival and year.": T(
        "该节日当年的活动已存在。", "呢個節日嗰年嘅活動已經有咗。", "這个節日彼年的活動已經有矣。"),
    "No such sign-up.": T("没有这条报名。", "冇呢個報名。", "無這筆報名。"),
    "Only a sign-up awaiting review can be withdrawn.": T(
        "只有待审核的报名可以撤回。",
        "只有等緊審核嘅報名先可以撤回。",
        "干焦等審核的報名會當撤回。"),
    "Choose a festival.": T("请选择节日。", "請揀節日。", "請揀節日。"),
    "The end is before the start.": T(
        "结束时间早于开始时间。", "結束時間早過開始時間。", "結束時間比開始較早。"),
    "Sign-up must close by the end of the campaign.": T(
        "报名截止日不能晚于活动结束日。",
        "報名截止日唔可以遲過活動結束日。",
        "報名截止日袂使比活動結束較晏。"),
    "Put the product on sale first.": T("请先上架该商品。", "請先將商品上架。", "請先共商品上架。"),
    "Enter a year.": T("请输入年份。", "請輸入年份。", "請輸入年份。"),
    "Enter a year from %(low)s to %(high)s.": T(
        "请输入 %(low)s 到 %(high)s 之间的年份。",
        "請輸入 %(low)s 至 %(high)s 之間嘅年份。",
        "請輸入 %(low)s 到 %(high)s 中間的年份。"),
    "You have no shop.": T("您还没有店铺。", "你仲未有舖頭。", "你猶無店頭。"),
    "No live stream is set.": T("尚未设置直播。", "仲未設定直播。", "猶未設定直播。"),
    "Give the start and end of the live stream.": T(
        "请填写直播的开始和结束时间。", "請填直播嘅開始同結束時間。", "請寫直播的開始佮結束時間。"),
    "Choose a kind.": T("请选择类型。", "請揀類型。", "請揀類型。"),
    "Enter a link that starts with https:// or http://.": T(
        "请输入以 https:// 或 http:// 开头的链接。",
        "請輸入以 https:// 或者 http:// 開頭嘅連結。",
        "請輸入用 https:// 抑是 http:// 開頭的連結。"),
    "Enter a valid date and time.": T(
        "请输入有效的日期和时间。", "請輸入有效嘅日期同時間。", "請輸入有效的日期佮時間。"),
    "A live stream lasts at most %(hours)s hours.": T(
        "一场直播最长 %(hours)s 小时。",
        "一場直播最長 %(hours)s 個鐘。",
        "一場直播上長 %(hours)s 點鐘。"),
    "You have no open shop.": T("您没有营业中的店铺。", "你冇營業緊嘅舖頭。", "你無咧營業的店頭。"),
    # --- benefits and scores ---
    "Free express shipping": T("快递包邮", "速遞免運費", "快遞免運費"),
    "Priority service from merchants": T("商家优先服务", "商戶優先服務", "頭家優先服務"),
    "Recency": T("最近消费", "最近消費", "最近消費"),
    "Frequency": T("消费频次", "消費次數", "消費次數"),
    "Monetary": T("消费金额", "消費金額", "消費金額"),
    "Rescored %(count)s buyers.": T(
        "已重新评分 %(count)s 位买家。",
        "重新評咗 %(count)s 位買家。",
        "已經重新評分 %(count)s 位買家。"),
    "Benefits of %(level)s saved.": T(
        "%(level)s 权益已保存。", "%(level)s 福利已經儲存。", "%(level)s 權益已經儲存。"),
    "No completed order yet": T("还没有已完成的订单", "仲未有完成咗嘅訂單", "猶無完成的訂單"),
    "Score 5 within %(a)s days, 4 within %(b)s, 3 within %(c)s, 2 within %(d)s.": T(
        "%(a)s 天内得 5 分，%(b)s 天内 4 分，%(c)s 天内 3 分，%(d)s 天内 2 分。",
        "%(a)s 日內得 5 分，%(b)s 日內 4 分，%(c)s 日內 3 分，%(d)s 日內 2 分。",
        "%(a)s 工內得 5 分，%(b)s 工內 4 分，%(c)s 工內 3 分，%(d)s 工內 2 分。"),
    "%(count)s completed orders in the last %(days)s days": T(
        "近 %(days)s 天完成 %(count)s 笔订单",
        "最近 %(days)s 日完成咗 %(count)s 張訂單",
        "最近 %(days)s 工完成 %(count)s 張訂單"),
    "Score 2 from %(a)s orders, 3 from %(b)s, 4 from %(c)s, 5 from %(d)s.": T(
        "满 %(a)s 笔得 2 分，%(b)s 笔 3 分，%(c)s 笔 4 分，%(d)s 笔 5 分。",
        "夠 %(a)s 張得 2 分，%(b)s 張 3 分，%(c)s 張 4 分，%(d)s 張 5 分。",
        "有 %(a)s 張得 2 分，%(b)s 張 3 分，%(c)s 張 4 分，%(d)s 張 5 分。"),
    "%(amount)s spent in the last %(days)s days": T(
        "近 %(days)s 天消费 %(amount)s",
        "最近 %(days)s 日使咗 %(amount)s",
        "最近 %(days)s 工開 %(amount)s"),
    "Score 2 from %(a)s, 3 from %(b)s, 4 from %(c)s, 5 from %(d)s.": T(
        "满 %(a)s 得 2 分，%(b)s 得 3 分，%(c)s 得 4 分，%(d)s 得 5 分。",
        "夠 %(a)s 得 2 分，%(b)s 得 3 分，%(c)s 得 4 分，%(d)s 得 5 分。",
        "有 %(a)s 得 2 分，%(b)s 得 3 分，%(c)s 得 4 分，%(d)s 得 5 分。"),
    "Member settings saved; levels change at the next scoring run.": T(
        "会员设置已保存，等级将在下次评分时更新。",
        "會員設定已經儲存，等級會喺下次評分嗰陣更新。",
        "會員設定已經儲存，等級會佇下擺評分的時更新。"),
    "Member price: %(percent)s%% off selected goods": T(
        "会员价：指定商品立减 %(percent)s%%",
        "會員價：指定商品減 %(percent)s%%",
        "會員價：指定商品減 %(percent)s%%"),
    "%(days)s days since your last completed order": T(
        "距上次完成订单 %(days)s 天",
        "上次完成訂單到而家 %(days)s 日",
        "離上尾一擺完成訂單 %(days)s 工"),
    "The live stream has ended on your product pages.": T(
        "商品页已不再显示直播。", "商品頁已經唔再顯示直播。", "商品頁已經無閣顯示直播。"),
    "Signed up: the platform will review it.": T(
        "已报名，平台将进行审核。", "報咗名，平台會審核。", "已經報名，平台會審核。"),
    "Sign-up withdrawn.": T("已撤回报名。", "已經撤回報名。", "已經撤回報名。"),
    "Campaign saved.": T("活动已保存。", "活動已經儲存。", "活動已經儲存。"),
    "Sign-up approved.": T("报名已通过。", "報名已經批准。", "報名已經通過。"),
    "Sign-up rejected.": T("报名已驳回。", "報名已經駁回。", "報名已經駁回。"),
    "Campaign %(name)s created.": T(
        "活动“%(name)s”已创建。", "活動「%(name)s」已經建立。", "活動「%(name)s」已經建立。"),
    "Rebate tiers saved.": T("返利档位已保存。", "回贈級別已經儲存。", "返利級別已經儲存。"),
    "%(level)s price, %(percent)s%% off": T(
        "%(level)s 专享价，立减 %(percent)s%%",
        "%(level)s 專享價，減 %(percent)s%%",
        "%(level)s 專享價，減 %(percent)s%%"),
    "Free shipping for %(level)s members": T(
        "%(level)s 会员包邮", "%(level)s 會員免運費", "%(level)s 會員免運費"),
    # --- levels, model fields and choices ---
    "Ordinary member": T("普通会员", "普通會員", "普通會員"),
    "VIP": T("VIP", "VIP", "VIP"),
    "Super VIP": T("超级VIP", "超級VIP", "超級VIP"),
    "window (days)": T("统计周期（天）", "統計週期（日）", "統計期間（工）"),
    "recency limits (days)": T("最近消费分界（天）", "最近消費分界（日）", "最近消費分界（工）"),
    "frequency minimums (orders)": T("频次下限（笔）", "次數下限（張）", "次數下限（張）"),
    "monetary minimums (fen)": T("金额下限（分）", "金額下限（分）", "金額下限（分）"),
    "level rules": T("等级规则", "等級規則", "等級規則"),
    "member settings": T("会员设置", "會員設定", "會員設定"),
    "member discount (percent off)": T(
        "会员折扣（减百分比）", "會員折扣（減百分比）", "會員折扣（減百分比）"),
    "free shipping": T("包邮", "免運費", "免運費"),
    "priority service": T("优先服务", "優先服務", "優先服務"),
    "Monthly": T("按月", "按月", "照月"),
    "Quarterly": T("按季度", "按季", "照季"),
    "period": T("周期", "週期", "期間"),
    "tiers": T("档位", "級別", "級別"),
    "first period starts": T("首个周期开始于", "第一個週期開始", "頭一个期間開始"),
    "Spring Festival New Year goods": T("春节年货节", "春節年貨節", "過年年貨節"),
    "Dragon Boat Festival": T("端午节", "端午節", "五日節"),
    "Mid-Autumn Festival": T("中秋节", "中秋節", "中秋節"),
    "Farmers' Harvest Festival": T("中国农民丰收节", "中國農民豐收節", "中國農民豐收節"),
    "festival": T("节日", "節日", "節日"),
    "year": T("年份", "年份", "年份"),
    "tagline": T("宣传语", "宣傳語", "宣傳語"),
    "festival day": T("节日当天", "節日當日", "節日當工"),
    "starts on": T("开始日期", "開始日期", "開始日期"),
    "ends on": T("结束日期", "結束日期", "結束日期"),
    "sign-up closes on": T("报名截止日期", "報名截止日期", "報名截止日期"),
    "banner": T("横幅", "橫額", "橫幅"),
    "promotions": T("促销活动", "推廣優惠", "促銷活動"),
    "published": T("已发布", "已發佈", "已發佈"),
    "Awaiting review": T("待审核", "等緊審核", "等審核"),
    "note": T("备注", "備註", "備註"),
    "Group chat": T("群聊", "群組", "群組"),
    "Shop account": T("店铺公众号", "舖頭公眾號", "店頭公眾號"),
    "live-stream title": T("直播标题", "直播標題", "直播標題"),
    "live-stream link": T("直播链接", "直播連結", "直播連結"),
    "live from": T("直播开始", "直播開始", "直播開始"),
    "live until": T("直播结束", "直播結束", "直播結束"),
    "follow-up kind": T("引流类型", "引流類型", "引流類型"),
    "follow-up invitation": T("邀请语", "邀請語", "邀請話"),
    "follow-up link": T("引流链接", "引流連結", "引流連結"),
    "follow-up QR image": T("二维码图片", "二維碼圖片", "QR code 圖片"),
    # --- navigation ---
    "Member centre": T("会员中心", "會員中心", "會員中心"),
    "My rebates": T("我的返利", "我嘅回贈", "我的返利"),
    "Festivals": T("节日专场", "節日專場", "節日專場"),
    "Distributor rebates": T("经销商返利", "經銷商回贈", "經銷商返利"),
    "Festival campaigns": T("节日活动", "節日活動", "節日活動"),
    "Live stream and follow-up": T("直播与私域引流", "直播同私域引流", "直播佮私域引流"),
    "Member levels": T("会员等级", "會員等級", "會員等級"),
    # --- operator: member pages ---
    "Member thresholds and benefits": T("会员门槛与权益", "會員門檻同福利", "會員門檻佮權益"),
    "Scores": T("评分", "評分", "評分"),
    "Four numbers per score, smallest first. Recency: the day limits of scores 5, 4, 3 and 2. Frequency and spending: the minimums of scores 2, 3, 4 and 5.": T(  # noqa: E501
        "每项分数填四个数，从小到大。最近消费：5、4、3、2 分的天数上限；频次和金额：2、3、4、5 分的下限。",  # noqa: E501
        "每項分數填四個數，由細到大。最近消費：5、4、3、2 分嘅日數上限；次數同金額：2、3、4、5 分嘅下限。",  # noqa: E501
        "逐項分數寫四个數，對細到大。最近消費：5、4、3、2 分的工數上限；次數佮金額：2、3、4、5 分的下限。"),  # noqa: E501
    "Window (days)": T("统计周期（天）", "統計週期（日）", "統計期間（工）"),
    "Recency limits (days)": T("最近消费分界（天）", "最近消費分界（日）", "最近消費分界（工）"),
    "Frequency minimums (orders)": T("频次下限（笔）", "次數下限（張）", "次數下限（張）"),
    "Spending minimums (yuan)": T("金额下限（元）", "金額下限（元）", "金額下限（箍）"),
    "Level rules": T("等级规则", "等級規則", "等級規則"),
    "A level needs every minimum score below; super VIP is checked first.": T(
        "须满足下列每项最低分才能达到该等级；先判断超级VIP。",
        "要夠晒下面每項最低分先到呢個等級；先睇超級VIP。",
        "愛逐項攏有夠下跤的上低分才到這个等級；先看超級VIP。"),
    "Save thresholds": T("保存门槛", "儲存門檻", "儲存門檻"),
    "Member price (percent off)": T(
        "会员价（减百分比）", "會員價（減百分比）", "會員價（減百分比）"),
    "On categories (ids, sub-categories included)": T(
        "适用类目（编号，含子类目）",
        "適用類目（編號，包括子類目）",
        "適用類目（編號，包含子類目）"),
    "On products (ids)": T("适用商品（编号）", "適用商品（編號）", "適用商品（編號）"),
    "Priority service (merchants see it on the order)": T(
        "优先服务（商家在订单上可见）",
        "優先服務（商戶喺訂單度睇到）",
        "優先服務（頭家佇訂單看會著）"),
    "Save benefits": T("保存权益", "儲存福利", "儲存權益"),
    "Benefits of %(level)s": T("%(level)s 权益", "%(level)s 福利", "%(level)s 權益"),
    "Rescore now": T("立即重新评分", "即刻重新評分", "隨重新評分"),
    "Thresholds and benefits": T("门槛与权益", "門檻同福利", "門檻佮權益"),
    "Level": T("等级", "等級", "等級"),
    "All levels": T("全部等级", "全部等級", "全部等級"),
    "Name or mobile": T("姓名或手机号", "名或者手機號碼", "名抑是手機號碼"),
    "Spent": T("消费", "消費", "消費"),
    "Days since": T("距今天数", "距今日數", "距今工數"),
    "No scored buyers yet.": T("还没有评分的买家。", "仲未有評咗分嘅買家。", "猶無評分的買家。"),
    "Buyers with completed orders, scored on recency, frequency and spending over %(days)s days.": T(  # noqa: E501
        "有已完成订单的买家，按 %(days)s 天内的最近消费、频次和金额评分。",
        "有完成咗訂單嘅買家，按 %(days)s 日內嘅最近消費、次數同金額評分。",
        "有完成訂單的買家，照 %(days)s 工內的最近消費、次數佮金額評分。"),
    "Last scored %(when)s.": T(
        "最近评分于 %(when)s。", "上次評分喺 %(when)s。", "上尾評分佇 %(when)s。"),
    "Distribution (%(total)s buyers)": T(
        "等级分布（%(total)s 位买家）",
        "等級分佈（%(total)s 位買家）",
        "等級分佈（%(total)s 位買家）"),
    # --- storefront: member centre ---
    "My level": T("我的等级", "我嘅等級", "我的等級"),
    "Your latest orders already count: the new level shows after the next scoring run.": T(
        "最新订单已计入，新等级将在下次评分后显示。",
        "最新嘅訂單已經計埋，新等級會喺下次評分之後顯示。",
        "上新的訂單已經算入去，新等級會佇下擺評分了後顯示。"),
    "My scores": T("我的评分", "我嘅評分", "我的評分"),
    "Levels come from three scores of 1 to 5, worked out from your completed orders.": T(
        "等级由三项 1 到 5 分的评分决定，根据您已完成的订单计算。",
        "等級由三項 1 至 5 分嘅評分決定，按你完成咗嘅訂單計。",
        "等級由三項 1 到 5 分的評分決定，照你完成的訂單算。"),
    "My benefits": T("我的权益", "我嘅福利", "我的權益"),
    "Ordinary members shop at the normal prices. Reach VIP to unlock member prices and more.": T(
        "普通会员按原价购物，升级VIP即可享受会员价等权益。",
        "普通會員照原價買嘢，升到VIP就有會員價同其他福利。",
        "普通會員照原價買物件，升到VIP就有會員價佮其他權益。"),
    "You meet every requirement: your new level shows after the next scoring run.": T(
        "您已满足所有条件，新等级将在下次评分后显示。",
        "你已經夠晒條件，新等級會喺下次評分之後顯示。",
        "你已經攏有夠條件，新等級會佇下擺評分了後顯示。"),
    "You are at the highest level. Thank you for shopping with the region's merchants!": T(
        "您已是最高等级，感谢您支持本地商家！",
        "你已經係最高等級，多謝你幫襯本地商戶！",
        "你已經是上懸的等級，多謝你支持本地頭家！"),
    "R %(r)s · F %(f)s · M %(m)s — total %(total)s of 15": T(
        "最近 %(r)s · 频次 %(f)s · 金额 %(m)s — 总分 %(total)s / 15",
        "最近 %(r)s · 次數 %(f)s · 金額 %(m)s — 總分 %(total)s / 15",
        "最近 %(r)s · 次數 %(f)s · 金額 %(m)s — 總分 %(total)s / 15"),
    "On the way to %(level)s": T("距离 %(level)s 还差", "離 %(level)s 仲差", "離 %(level)s 猶差"),
    "%(level)s members get": T("%(level)s 会员可享", "%(level)s 會員有", "%(level)s 會員有"),
    "Levels last updated %(when)s.": T(
        "等级更新于 %(when)s。", "等級喺 %(when)s 更新。", "等級佇 %(when)s 更新。"),
    # --- rebate pages ---
    "Enterprise buyers earn a rebate on what they bought from you in a period (completed orders, shipping excluded). The highest tier reached applies to the whole volume; the rebate is credited to the buyer when the period ends.": T(  # noqa: E501
        "企业采购商按每个周期在本店的采购额（已完成订单，不含运费）获得返利。达到的最高档位适用于全部采购额；周期结束后返利记入买家账户。",  # noqa: E501
        "企業採購按每個週期喺你舖頭嘅採購額（完成咗嘅訂單，唔計運費）攞回贈。去到嘅最高級別計晒全部採購額；週期完咗之後回贈入買家帳。",  # noqa: E501
        "企業採購照逐个期間佇你店頭的採購額（完成的訂單，無算運費）得著返利。上懸的級別適用全部採購額；期間結束了後返利入買家的數。"),  # noqa: E501
    "Tiers": T("返利档位", "回贈級別", "返利級別"),
    "From volume (yuan)": T("采购额起点（元）", "採購額起點（元）", "採購額起點（箍）"),
    "Rebate rate (percent)": T("返利比例（%）", "回贈比例（%）", "返利比例（%）"),
    "Leave a row empty to drop it. Each tier needs a higher volume and a higher rate than the one before it.": T(  # noqa: E501
        "留空即删除该行。每一档的采购额和比例都要高于上一档。",
        "留空就刪咗嗰行。每一級嘅採購額同比例都要高過上一級。",
        "留空就共彼行刣掉。逐級的採購額佮比例攏愛比頂一級較懸。"),
    "Apply filters": T("筛选", "篩選", "篩選"),
    "Rebate rate": T("返利比例", "回贈比例", "返利比例"),
    "Save tiers": T("保存档位", "儲存級別", "儲存級別"),
    "Volume": T("采购额", "採購額", "採購額"),
    "Rate now": T("当前比例", "而家比例", "這馬比例"),
    "Estimate": T("预计返利", "預計回贈", "預估返利"),
    "To next tier": T("距下一档", "離下一級", "離下一級"),
    "No completed wholesale orders in this period yet.": T(
        "本周期还没有已完成的批发订单。",
        "今個週期仲未有完成咗嘅批發訂單。",
        "這个期間猶無完成的批發訂單。"),
    "All periods": T("全部周期", "全部週期", "全部期間"),
    "No rebates credited yet.": T("还没有入账的返利。", "仲未有入帳嘅回贈。", "猶無入數的返利。"),
    "Tier %(n)s:": T("第 %(n)s 档：", "第 %(n)s 級：", "第 %(n)s 級："),
    "This period so far (%(key)s)": T(
        "本周期至今（%(key)s）", "今個週期到而家（%(key)s）", "這个期間到今（%(key)s）"),
    "%(count)s rebates, %(amount)s on %(volume)s.": T(
        "共 %(count)s 笔返利，采购额 %(volume)s，返利 %(amount)s。",
        "共 %(count)s 筆回贈，採購額 %(volume)s，回贈 %(amount)s。",
        "總共 %(count)s 筆返利，採購額 %(volume)s，返利 %(amount)s。"),
    "Shops credit you a rebate on what you bought from them in each period, by their volume tiers.": T(  # noqa: E501
        "店铺按各自的档位，根据您每个周期的采购额给您返利。",
        "舖頭按佢哋嘅級別，根據你每個週期嘅採購額俾你回贈。",
        "店頭照個人的級別，照你逐个期間的採購額予你返利。"),
    "Credit balance": T("返利余额", "回贈結餘", "返利餘額"),
    "Credited in total": T("累计入账", "累計入帳", "累計入數"),
    "No rebates yet. They are credited when a period ends.": T(
        "还没有返利，周期结束后入账。",
        "仲未有回贈，週期完咗先入帳。",
        "猶無返利，期間結束了後入數。"),
    "%(key)s · %(count)s orders · %(volume)s at %(rate)s": T(
        "%(key)s · %(count)s 笔订单 · %(volume)s × %(rate)s",
        "%(key)s · %(count)s 張訂單 · %(volume)s × %(rate)s",
        "%(key)s · %(count)s 張訂單 · %(volume)s × %(rate)s"),
    # --- campaign pages ---
    "On now": T("进行中", "進行緊", "當咧進行"),
    "Coming soon": T("即将开始", "就快開始", "欲開始矣"),
    "Offers in this campaign": T("活动优惠", "活動優惠", "活動優惠"),
    "Taking part": T("参与商品", "參加商品", "參加商品"),
    "Products are being selected. Check back soon.": T(
        "商品正在甄选中，敬请期待。", "商品揀選緊，遲啲再嚟睇吓。", "商品當咧揀，等一下才閣來看。"),
    "%(start)s to %(end)s": T(
        "%(start)s 至 %(end)s", "%(start)s 至 %(end)s", "%(start)s 到 %(end)s"),
    "Festival day %(day)s": T("节日当天 %(day)s", "節日當日 %(day)s", "節日當工 %(day)s"),
    "Offer #%(id)s": T("优惠 #%(id)s", "優惠 #%(id)s", "優惠 #%(id)s"),
    "No festival campaign right now. Come back before the next festival!": T(
        "目前没有节日活动，下个节日前再来看看吧！",
        "而家冇節日活動，下個節日之前再嚟睇吓啦！",
        "這馬無節日活動，下一个節日進前才閣來看覓！"),
    "Put your products forward for the platform's festival pages; the platform reviews each one.": T(  # noqa: E501
        "为平台节日专场报名您的商品，平台会逐一审核。",
        "幫你嘅商品報名平台節日專場，平台會逐件審核。",
        "共你的商品報名平台節日專場，平台會一件一件審核。"),
    "Product": T("商品", "商品", "商品"),
    "Note for the reviewer (optional)": T(
        "给审核人员的备注（选填）", "俾審核人員嘅備註（可以唔填）", "予審核人員的備註（會使免寫）"),
    "Sign up": T("报名", "報名", "報名"),
    "Put a product on sale to sign it up.": T(
        "请先上架商品再报名。", "請先上架商品再報名。", "請先共商品上架才報名。"),
    "No campaign is open for sign-up right now.": T(
        "目前没有开放报名的活动。", "而家冇開放報名嘅活動。", "這馬無開放報名的活動。"),
    "My sign-ups": T("我的报名", "我嘅報名", "我的報名"),
    "No sign-ups yet.": T("还没有报名。", "仲未有報名。", "猶無報名。"),
    "Sign up by %(day)s": T("报名截止 %(day)s", "報名截止 %(day)s", "報名截止 %(day)s"),
    "New campaign from a template": T("从模板新建活动", "由範本開新活動", "對範本建立新活動"),
    "Dates come from the Chinese calendar; you can move them after creating the campaign.": T(
        "日期按农历计算，创建后可以调整。",
        "日期按農曆計，開咗之後可以改。",
        "日期照農曆算，建立了後會當調整。"),
    "Festival": T("节日", "節日", "節日"),
    "Year": T("年份", "年份", "年份"),
    "Banner (optional: one is drawn in the festival's colours)": T(
        "横幅（选填，不上传则按节日配色自动生成）",
        "橫額（可以唔上載，會按節日顏色自動畫一個）",
        "橫幅（會使免上傳，會照節日色水自動畫一个）"),
    "Promotions (ids, optional)": T(
        "促销活动（编号，选填）", "推廣優惠（編號，可以唔填）", "促銷活動（編號，會使免寫）"),
    "Publish now (merchants can sign up)": T(
        "立即发布（商家可报名）", "即刻發佈（商戶可以報名）", "隨發佈（頭家會當報名）"),
    "Create campaign": T("创建活动", "建立活動", "建立活動"),
    "Campaigns": T("活动列表", "活動列表", "活動列表"),
    "Published": T("已发布", "已發佈", "已發佈"),
    "No campaigns yet.": T("还没有活动。", "仲未有活動。", "猶無活動。"),
    "Festival dates": T("节日日期", "節日日期", "節日日期"),
    "%(pending)s awaiting review, %(approved)s approved": T(
        "%(pending)s 个待审核，%(approved)s 个已通过",
        "%(pending)s 個等緊審核，%(approved)s 個已經批准",
        "%(pending)s 个等審核，%(approved)s 个已經通過"),
    "View the landing page": T("查看活动页", "睇活動頁", "看活動頁"),
    "Tagline": T("宣传语", "宣傳語", "宣傳語"),
    "Starts on": T("开始日期", "開始日期", "開始日期"),
    "Ends on": T("结束日期", "結束日期", "結束日期"),
    "Sign-up closes on": T("报名截止日期", "報名截止日期", "報名截止日期"),
    "Promotions (ids)": T("促销活动（编号）", "推廣優惠（編號）", "促銷活動（編號）"),
    "Replace the banner": T("更换横幅", "換橫額", "換橫幅"),
    "Use the drawn banner instead": T("改用自动生成的横幅", "改用自動畫嘅橫額", "改用自動畫的橫幅"),
    "Sign-ups": T("报名", "報名", "報名"),
    # --- live stream and follow-up ---
    "Live stream": T("直播", "直播", "直播"),
    "Live now": T("直播中", "直播緊", "當咧直播"),
    "While you are live, every product page of your shop shows a button to your live room (Douyin, Kuaishou, WeChat Channels...).": T(  # noqa: E501
        "直播期间，本店每个商品页都会显示进入直播间的按钮（抖音、快手、微信视频号等）。",
        "直播期間，你舖頭每個商品頁都會顯示入直播間嘅掣（抖音、快手、微信視頻號等）。",
        "直播的時，你店頭逐个商品頁攏會顯示入直播間的鈕仔（抖音、快手、微信視頻號等）。"),
    "Title": T("标题", "標題", "標題"),
    "e.g. Picking tea on the hill today": T(
        "例如：今天上山采茶", "例如：今日上山採茶", "比如：今仔日上山挽茶"),
    "Live room link": T("直播间链接", "直播間連結", "直播間連結"),
    "From": T("开始", "開始", "開始"),
    "Until": T("结束", "結束", "結束"),
    "Follow-up after an order": T("订单完成后引流", "訂單完成之後引流", "訂單完成了後引流"),
    "Buyers see this QR code on the page of each completed order, to join your group chat or follow your shop account.": T(  # noqa: E501
        "买家在每笔已完成订单的页面上会看到这个二维码，可加入您的群聊或关注店铺公众号。",
        "買家喺每張完成咗嘅訂單頁會見到呢個二維碼，可以入你嘅群組或者關注舖頭公眾號。",
        "買家佇逐張完成的訂單頁會看著這个 QR code，會當加入你的群組抑是關注店頭公眾號。"),
    "Invitation": T("邀请语", "邀請語", "邀請話"),
    "e.g. New harvest news and member prices": T(
        "例如：新品上市消息和会员价", "例如：新貨上市消息同會員價", "比如：新貨上市消息佮會員價"),
    "Link (we draw its QR code)": T(
        "链接（自动生成二维码）", "連結（自動整二維碼）", "連結（自動產生 QR code）"),
    "Or upload a QR image (a WeChat group code)": T(
        "或上传二维码图片（微信群二维码）",
        "或者上載二維碼圖片（微信群二維碼）",
        "抑是上傳 QR code 圖片（微信群 QR code）"),
    "Remove the uploaded image": T("删除已上传的图片", "刪除上載咗嘅圖片", "刣掉上傳的圖片"),
    "QR code": T("二维码", "二維碼", "QR code"),
    "End the live stream now": T("立即结束直播", "即刻結束直播", "隨結束直播"),
    "Join the shop's group chat": T("加入店铺群聊", "加入舖頭群組", "加入店頭群組"),
    "Follow the shop": T("关注店铺", "關注舖頭", "關注店頭"),
    "Scan with WeChat, or long-press to recognise the code.": T(
        "用微信扫一扫，或长按识别二维码。",
        "用微信掃一掃，或者長按識別二維碼。",
        "用微信掃一下，抑是長按辨識 QR code。"),
    "Open the link": T("打开链接", "打開連結", "拍開連結"),
    "Priority service": T("优先服务", "優先服務", "優先服務"),
    "Watch the live stream": T("进入直播间", "入直播間", "入去直播間"),
    "The shop is streaming until %(until)s.": T(
        "店铺正在直播，直到 %(until)s。",
        "舖頭直播緊，直到 %(until)s。",
        "店頭當咧直播，到 %(until)s。"),
}
