"""Group buy (拼团), helper M3: storefront panel, share page, group checkout, my group buys,
merchant console, and trade's order hold ("拼团中")."""

from regionmall.locale.tables._t import T

TRANSLATIONS = {
    # --- states and errors (marketing.models.groupbuy, services) ---
    "Ended": T("已结束", "已經完咗", "已經結束"),
    "Waiting for the leader to pay": T("等待团长付款", "等緊團長俾錢", "等團長付款"),
    "Formed": T("已成团", "成咗團", "已經成團"),
    "Expired unfilled": T("未成团已过期", "過咗期都未成團", "過期無成團"),
    "Seat reserved, awaiting payment": T("已占位，待付款", "霸咗位，等俾錢", "位已經占好，等付款"),
    "Seat released": T("已让出名额", "已經讓返個位", "位已經放出來"),
    "Left the group": T("已退出拼团", "已經退咗團", "已經退出拼團"),
    "Refunded (group not formed)": T("已退款（未成团）", "已退錢（冇成團）", "已退錢（無成團）"),
    "No such group.": T("没有这个团。", "冇呢個團。", "無這个團。"),
    "No such group buy.": T("没有这个拼团活动。", "冇呢個拼團活動。", "無這个拼團活動。"),
    "No such product.": T("没有这个商品。", "冇呢件貨品。", "無這項商品。"),
    "Enter a number from %(low)s to %(high)s.": T(
        "请输入 %(low)s 到 %(high)s 之间的数字。", "請輸入 %(low)s 至 %(high)s 之間嘅數字。",
        "請輸入 %(low)s 到 %(high)s 中間的數字。"),
    "Enter a date and time.": T("请输入日期和时间。", "請輸入日期同時間。", "請輸入日期佮時間。"),
    "The end must come after the start.": T(
        "结束时间必须晚于开始时间。", "完結時間一定要喺開始之後。", "結束時間愛佇開始以後。"),
    "The end must be in the future.": T(
        "结束时间必须在将来。", "完結時間一定要喺將來。", "結束時間愛是未來的時間。"),
    "Enter prices in whole fen.": T("价格请以整数分填写。", "價錢請用整數「分」填。",
                                    "價數請用整數「分」寫。"),
    "Unknown spec of this product.": T("该商品没有这个规格。", "呢件貨冇呢個規格。",
                                       "這項商品無這个規格。"),
    "The group price of %(spec)s must be above 0 and below its price %(price)s.": T(
        "规格 %(spec)s 的拼团价须大于 0 且低于原价 %(price)s。",
        "規格 %(spec)s 嘅拼團價要大過 0，又要低過原價 %(price)s。",
        "規格 %(spec)s 的拼團價愛大過 0，閣愛低過原價 %(price)s。"),
    "Give at least one spec a group price.": T(
        "请至少为一个规格设置拼团价。", "最少要幫一個規格定拼團價。", "上少愛替一个規格設拼團價。"),
    "The leader's discount must be below the group price.": T(
        "团长优惠必须低于拼团价。", "團長優惠一定要低過拼團價。", "團長優惠愛低過拼團價。"),
    "This product already has a group buy in that period.": T(
        "该商品在这段时间已有拼团活动。", "呢件貨喺呢段時間已經有拼團活動。",
        "這項商品佇這段時間已經有拼團活動矣。"),
    "This group buy has ended.": T("该拼团活动已结束。", "呢個拼團活動已經完咗。",
                                   "這个拼團活動已經結束矣。"),
    "This group buy has not started yet.": T("该拼团活动尚未开始。", "呢個拼團活動仲未開始。",
                                             "這个拼團活動猶未開始。"),
    "Choose a spec.": T("请选择规格。", "請揀規格。", "請揀規格。"),
    "At most %(n)d per member in this group buy.": T(
        "本次拼团每人最多 %(n)d 件。", "呢個拼團每人最多 %(n)d 件。",
        "這擺拼團逐家上濟 %(n)d 件。"),
    "This group is full: open a new one or join another.": T(
        "该团已满：请开新团或参加其他团。", "呢個團滿咗：開過個新團或者參加第二個團啦。",
        "這團已經滿矣：請開新團抑是參加別團。"),
    "This checkout is not a group buy.": T("这笔结算不是拼团订单。", "呢張單唔係拼團單。",
                                           "這張單毋是拼團單。"),
    "Group price (leader: %(amount)s off)": T(
        "拼团价（团长再减 %(amount)s）", "拼團價（團長再減 %(amount)s）",
        "拼團價（團長閣減 %(amount)s）"),
    "Group price": T("拼团价", "拼團價", "拼團價"),
    "This group has already formed.": T("该团已成团。", "呢個團已經成咗團。", "這團已經成團矣。"),
    "This group is no longer open.": T("该团已关闭。", "呢個團已經截咗。", "這團已經關矣。"),
    "A group-buy order holds exactly one item.": T(
        "拼团订单只能包含一件商品。", "拼團單淨係可以有一樣貨。", "拼團單干焦會使有一項商品。"),
    "Order one item of the group buy.": T("请只下单拼团商品。", "請淨係落拼團嗰樣貨。",
                                          "請干焦落拼團彼項商品。"),
    "Too many.": T("数量过多。", "太多喇。", "傷濟矣。"),
    "You already have a group of this offer under way.": T(
        "您在该活动中已有进行中的团。", "你喺呢個活動已經有個團進行緊。",
        "你佇這个活動已經有一團咧進行。"),
    "You are already in this group.": T("您已在这个团中。", "你已經喺呢個團度。",
                                        "你已經佇這團內底矣。"),
    # --- product page panel, share page, group checkout ---
    "%(n)s-person group": T("%(n)s人团", "%(n)s人團", "%(n)s人團"),
    "Group buy": T("拼团", "拼團", "拼團"),
    "Pay to open a group; it forms when everyone has paid within %(hours)s hours, otherwise "
    "everyone is refunded automatically.": T(
        "付款即开团；%(hours)s 小时内人齐付款即成团，否则自动全额退款。",
        "俾錢就開團；%(hours)s 個鐘內夠人俾齊錢就成團，唔係就自動全數退錢。",
        "付款就開團；%(hours)s 點鐘內人數到齊、攏付款就成團，無就自動全額退錢。"),
    "Leader saves %(amount)s more": T("团长再省 %(amount)s", "團長再慳 %(amount)s",
                                      "團長閣省 %(amount)s"),
    "Groups you can join": T("可参加的团", "可以參加嘅團", "會使參加的團"),
    "%(n)s more to go": T("还差%(n)s人成团", "仲差%(n)s個人成團", "猶差%(n)s个人成團"),
    "Ends in": T("剩余", "仲有", "猶有"),
    "Join": T("去参团", "去參團", "去參團"),
    "Open a group at %(price)s": T("%(price)s 发起拼团", "%(price)s 開團", "%(price)s 開團"),
    "Open a group": T("发起拼团", "開團", "開團"),
    "Join the group": T("参加拼团", "參加拼團", "參加拼團"),
    "Items at list price": T("商品原价", "貨品原價", "商品原價"),
    "Place the order and open the group": T("提交订单并开团", "落單兼開團", "落單閣開團"),
    "Place the order and join": T("提交订单并参团", "落單兼參團", "落單閣參團"),
    "Your order ships once the group forms. If it does not form in time, your payment is "
    "refunded automatically.": T(
        "成团后商家才发货；到时未成团，货款将自动原路退回。",
        "成咗團商家先寄貨；夠鐘都未成團，啲錢會自動原路退返。",
        "成團了後頭家才寄貨；時間到猶未成團，錢會自動照原路退轉去。"),
    "Group buy: %(name)s": T("拼团：%(name)s", "拼團：%(name)s", "拼團：%(name)s"),
    "Product details": T("商品详情", "貨品詳情", "商品詳細"),
    "The group has formed: the orders are on their way to shipping.": T(
        "已成团：订单即将发货。", "成咗團喇：張單就快寄出。", "成團矣：訂單就欲寄出。"),
    "Time ran out before the group filled. Everyone who paid is refunded automatically.": T(
        "拼团时间已到仍未成团，已付款的成员将自动退款。",
        "夠鐘都未成團，俾咗錢嘅人會自動退錢。",
        "時間到矣猶未成團，已經付款的人會自動退錢。"),
    "Pay to open your group. Friends can join once you have paid.": T(
        "付款后即可开团，朋友随后就能参团。", "俾咗錢就開到團，朋友跟住就可以參團。",
        "付款了後就開團，朋友隨後就會使參團。"),
    "Members": T("成员", "成員", "成員"),
    "Pay %(amount)s now to take your seat": T(
        "立即支付 %(amount)s 锁定名额", "即刻俾 %(amount)s 霸位", "隨付 %(amount)s 占位"),
    "Seat free": T("待加入", "等人入", "等人加入"),
    "Paying": T("待付款", "等俾錢", "等付款"),
    "You are in this group. Share it so it fills in time.": T(
        "您已在团中，快分享给朋友，按时成团。", "你已經喺團入面，快啲分享俾朋友，準時成團。",
        "你已經佇團內，緊分享予朋友，準時成團。"),
    "Join the group at %(price)s": T("%(price)s 参加拼团", "%(price)s 參加拼團",
                                     "%(price)s 參加拼團"),
    "Open a new group": T("发起新团", "開個新團", "開一个新團"),
    "Invite friends": T("邀请好友参团", "叫朋友參團", "招朋友參團"),
    "Scan with a phone camera, or send the link.": T(
        "用手机相机扫码，或发送链接。", "用手機相機掃碼，或者發條連結出去。",
        "用手機相機掃碼，抑是寄連結。"),
    "Share link": T("分享链接", "分享連結", "分享連結"),
    "Copied": T("已复制", "複製咗", "已經複製"),
    "Copy": T("复制", "複製", "複製"),
    "How it works": T("拼团规则", "拼團點玩", "拼團按怎耍"),
    "The leader pays and opens the group.": T("团长付款开团。", "團長俾錢開團。", "團長付款開團。"),
    "Friends join and pay until %(n)s people are in.": T(
        "好友参团并付款，凑满%(n)s人。", "朋友參團俾錢，湊夠%(n)s個人。",
        "朋友參團付款，湊夠%(n)s个人。"),
    "The group forms on the last payment and the shop ships; if time runs out, everyone is "
    "refunded.": T(
        "最后一人付款即成团，商家发货；超时未成团则全员退款。",
        "最後一個人俾錢就成團，商家寄貨；過咗鐘未成團就全部人退錢。",
        "上尾一个人付款就成團，頭家寄貨；超過時間無成團，逐家攏退錢。"),
    "Scan to join the group": T("扫码参团", "掃碼參團", "掃碼參團"),
    "Order placed: pay now to take your seat in the group.": T(
        "订单已提交：请立即付款锁定名额。", "落咗單：即刻俾錢霸位啦。",
        "訂單已經送出：請隨付款占位。"),
    "My group buys": T("我的拼团", "我嘅拼團", "我的拼團"),
    "Pay now": T("去付款", "去俾錢", "去付款"),
    "Share page": T("分享页", "分享頁", "分享頁"),
    "No group buys yet. Look for the group price on product pages.": T(
        "还没有拼团。可在商品页找拼团价。", "仲未有拼團。喺貨品頁搵拼團價啦。",
        "猶無拼團。會使佇商品頁揣拼團價。"),
    # --- merchant console ---
    "Views": T("浏览", "瀏覽", "瀏覽"),
    "Groups opened": T("开团数", "開團數", "開團數"),
    "Open now": T("进行中", "進行緊", "進行中"),
    "Paying members": T("付款人数", "俾錢人數", "付款人數"),
    "Opened per 100 views": T("每百次浏览开团", "每一百次瀏覽開團", "每一百擺瀏覽開團"),
    "Formed rate": T("成团率", "成團率", "成團率"),
    "New group buy": T("新建拼团", "新增拼團", "新增拼團"),
    "Group buys": T("拼团活动", "拼團活動", "拼團活動"),
    "Conversion": T("转化", "轉化", "轉化"),
    "Group prices (yuan)": T("拼团价（元）", "拼團價（蚊）", "拼團價（箍）"),
    "Below the list price. Leave a spec empty to keep it out of the group buy.": T(
        "须低于原价。留空的规格不参加拼团。", "要低過原價。留空嘅規格唔參加拼團。",
        "愛低過原價。留空的規格無參加拼團。"),
    "list": T("原价", "原價", "原價"),
    "Rules": T("规则", "規則", "規則"),
    "Group size (people)": T("成团人数", "成團人數", "成團人數"),
    "Time to fill (hours)": T("成团时限（小时）", "成團時限（鐘頭）", "成團時限（點鐘）"),
    "Leader's extra discount (yuan)": T("团长额外优惠（元）", "團長額外優惠（蚊）",
                                        "團長額外優惠（箍）"),
    "Units per member": T("每人限购件数", "每人限買件數", "逐家限買件數"),
    "Starts": T("开始时间", "開始時間", "開始時間"),
    "Ends": T("结束时间", "完結時間", "結束時間"),
    "Changes apply to groups opened from now on; open groups keep their size and prices.": T(
        "修改只对之后开的团生效；进行中的团保持原人数和价格。",
        "改咗只係對之後開嘅團有效；進行緊嘅團保持原本人數同價錢。",
        "修改干焦對了後開的團有效；進行中的團保持原本的人數佮價數。"),
    "Create the group buy": T("创建拼团", "建立拼團", "建立拼團"),
    "End this group buy": T("结束此拼团", "完結呢個拼團", "結束這个拼團"),
    "Latest groups": T("最近的团", "最近嘅團", "最近的團"),
    "Leader": T("团长", "團長", "團長"),
    "Deadline": T("截止时间", "截止時間", "截止時間"),
    "Buyers open a group by paying, friends join through the share link; the group forms on "
    "the last payment and its orders may ship. Groups that do not fill in time are refunded "
    "automatically.": T(
        "买家付款开团，好友通过分享链接参团；最后一人付款即成团，订单方可发货。超时未成团的自动退款。",
        "買家俾錢開團，朋友經分享連結參團；最後一個人俾錢就成團，張單先可以寄。過咗鐘未成團會自動退錢。",
        "買家付款開團，朋友用分享連結參團；上尾一个人付款就成團，訂單才會使寄。超過時間無成團的自動退錢。"),
    "Over": T("已过期", "過咗期", "過期矣"),
    "Scheduled": T("未开始", "未開始", "猶未開始"),
    "Running": T("进行中", "進行緊", "進行中"),
    "No group buys yet.": T("还没有拼团活动。", "仲未有拼團活動。", "猶無拼團活動。"),
    "Which product?": T("选择商品", "揀貨品", "揀商品"),
    "Products on sale": T("在售商品", "賣緊嘅貨品", "當咧賣的商品"),
    "Put a product on sale first.": T("请先上架商品。", "請先上架貨品。", "請先共商品上架。"),
    "Group buy created.": T("拼团已创建。", "拼團建立咗。", "拼團建立好矣。"),
    "The group buy has ended: no new groups. Open groups may still fill until their deadline.": T(
        "拼团已结束：不再开新团，进行中的团在截止前仍可成团。",
        "拼團完咗：唔會再開新團，進行緊嘅團喺截止前仲可以成團。",
        "拼團結束矣：袂閣開新團，進行中的團佇截止進前猶會使成團。"),
    # --- trade: the order hold of a forming group (merchant order list and detail) ---
    "the group buy has not formed yet": T("拼团尚未成团", "拼團仲未成團", "拼團猶未成團"),
    "Group forming": T("拼团中", "拼團中", "拼團中"),
    "Order %(number)s cannot ship yet: %(reason)s.": T(
        "订单 %(number)s 暂不能发货：%(reason)s。", "張單 %(number)s 暫時唔寄得：%(reason)s。",
        "訂單 %(number)s 暫時袂使寄：%(reason)s。"),
    "Cannot ship yet: %(reason)s.": T("暂不能发货：%(reason)s。", "暫時唔寄得：%(reason)s。",
                                      "暫時袂使寄：%(reason)s。"),
}
