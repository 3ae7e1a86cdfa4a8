"""Source of truth for RegionMall's UI translations (zh_Hans, yue, nan).

Why a table in Python rather than hand-edited .po files: ``makemessages`` rewrites the .po
files whenever anyone adds a string, so translations kept here survive every refresh and can
be reviewed in one place. Msgids are English; English itself needs no msgstr.

    .venv/bin/python regionmall/locale/translations.py            # makemessages, fill, compile
    .venv/bin/python regionmall/locale/translations.py --fill     # only fill the .po files
    .venv/bin/python regionmall/locale/translations.py --check    # fail if anything is missing

Style: zh_Hans is plain Mainland Simplified Chinese (您 in system messages). ``yue`` is
written Cantonese in Traditional characters (嘅, 咗, 冇, 唔, 喺, 睇, 搵, 嘢 where a Hong Kong
or Guangzhou reader would say them). ``nan`` is Taiwanese Hokkien in the Ministry of
Education's recommended Han characters (阮, 恁, 欲, 佇, 毋, 袂, 揣, 矣, 猶未, 頭家, 人客).
For a message with a context, key the table by ``"context\\x04msgid"``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent
REPO_ROOT = LOCALE_DIR.parent.parent
TRANSLATED = ("zh_Hans", "yue", "nan")
ALL_LOCALES = (*TRANSLATED, "en")
IGNORE = [".venv", "var", "screenshots", "node_modules"]
HEADERS = {
    "zh_Hans": ("zh_Hans", "nplurals=1; plural=0;", "Simplified Chinese"),
    "yue": ("yue", "nplurals=1; plural=0;", "Cantonese (Traditional characters)"),
    "nan": ("nan", "nplurals=1; plural=0;", "Taiwanese Hokkien (Han characters)"),
    "en": ("en", "nplurals=2; plural=(n != 1);", "English"),
}


def T(zh_hans: str, yue: str, nan: str) -> dict[str, str]:  # noqa: N802 - reads as a table
    return {"zh_Hans": zh_hans, "yue": yue, "nan": nan}


TRANSLATIONS: dict[str, dict[str, str]] = {
    # --- Roles and account fields (accounts) ---
    "Shopper": T("消费者", "顧客", "人客"),
    "Enterprise buyer": T("企业采购商", "企業採購", "企業採購"),
    "Merchant owner": T("店主", "舖頭老闆", "店頭頭家"),
    "Merchant staff": T("店铺员工", "舖頭員工", "店頭員工"),
    "Platform operator": T("平台运营", "平台營運", "平台營運"),
    "Government supervisor": T("政府监管人员", "政府監管人員", "政府監管人員"),
    "Warehouse staff": T("仓库人员", "倉務員", "倉庫人員"),
    "Courier": T("配送员", "速遞員", "送貨員"),
    "mobile": T("手机号", "手機號碼", "手機號碼"),
    "role": T("角色", "角色", "角色"),
    "display name": T("显示名称", "顯示名稱", "顯示名稱"),
    # --- Login, logout, codes (accounts) ---
    "Log in": T("登录", "登入", "登入"),
    "Log out": T("退出登录", "登出", "登出"),
    "Login method": T("登录方式", "登入方式", "登入方式"),
    "Mobile number or username": T("手机号或用户名", "手機號碼或者用戶名", "手機號碼抑是用戶名"),
    "Password": T("密码", "密碼", "密碼"),
    "Mobile number": T("手机号", "手機號碼", "手機號碼"),
    "SMS code": T("短信验证码", "短訊驗證碼", "簡訊驗證碼"),
    "Send code": T("发送验证码", "發驗證碼", "寄驗證碼"),
    "New numbers are registered automatically.": T(
        "新手机号将自动注册。", "新號碼會自動註冊。", "新的號碼會自動註冊。"),
    "A code has been sent to %(mobile)s.": T(
        "验证码已发送至 %(mobile)s。", "驗證碼已經發咗去 %(mobile)s。",
        "驗證碼已經寄去 %(mobile)s 矣。"),
    "A code has been sent. It is valid for 5 minutes.": T(
        "验证码已发送，5 分钟内有效。", "驗證碼已經發咗，5 分鐘內有效。",
        "驗證碼已經寄出去矣，5 分鐘內有效。"),
    "A code was sent a moment ago; please wait a minute.": T(
        "验证码刚刚已发送，请一分钟后再试。", "啱啱先發咗驗證碼，請等一分鐘再試。",
        "驗證碼拄才寄出去，請等一分鐘才閣試。"),
    "[%(platform)s] Your login code is %(code)s, valid for %(minutes)s minutes.": T(
        "【%(platform)s】您的登录验证码是 %(code)s，%(minutes)s 分钟内有效。",
        "【%(platform)s】你嘅登入驗證碼係 %(code)s，%(minutes)s 分鐘內有效。",
        "【%(platform)s】你的登入驗證碼是 %(code)s，%(minutes)s 分鐘內有效。"),
    "Logged out.": T("已退出登录。", "已經登出咗。", "已經登出矣。"),
    "Logged out on every device.": T(
        "已在所有设备上退出登录。", "所有裝置都已經登出咗。", "所有的裝置攏已經登出矣。"),
    "Wrong login name or password.": T(
        "登录名或密码错误。", "登入名或者密碼唔啱。", "登入名抑是密碼毋著。"),
    "The code is wrong or has expired.": T(
        "验证码错误或已过期。", "驗證碼唔啱或者已經過咗期。", "驗證碼毋著抑是已經過期矣。"),
    "This mobile number is already registered.": T(
        "该手机号已注册。", "呢個手機號碼已經註冊咗。", "這个手機號碼已經註冊過矣。"),
    "This login name or mobile number is already taken.": T(
        "该登录名或手机号已被占用。", "呢個登入名或者手機號碼已經有人用緊。",
        "這个登入名抑是手機號碼已經有人用矣。"),
    "Enter a valid mainland China mobile number (11 digits, starting 1).": T(
        "请输入有效的中国大陆手机号（11 位，以 1 开头）。",
        "請輸入有效嘅內地手機號碼（11 位數字，1 字頭）。",
        "請輸入有效的中國大陸手機號碼（11 位數字，1 開頭）。"),
    "Too many failed logins. This account is locked for a while; try again later.": T(
        "登录失败次数过多，该账号已被暂时锁定，请稍后再试。",
        "登入失敗太多次，呢個帳戶暫時鎖咗，請遲啲再試。",
        "登入失敗傷濟擺，這个帳號暫時鎖起來矣，請等一睏仔才閣試。"),
    "Account locked": T("账号已锁定", "帳戶鎖咗", "帳號鎖起來矣"),
    "Back to the home page": T("返回首页", "返去首頁", "轉去首頁"),
    "Too many attempts from your network; try again in a minute.": T(
        "您所在网络的尝试次数过多，请一分钟后再试。",
        "你嘅網絡試得太多次，請一分鐘後再試。",
        "你的網路試傷濟擺矣，請一分鐘後才閣試。"),
    "You do not have permission to do this.": T(
        "您无权执行此操作。", "你冇權限做呢樣嘢。", "你無權限做這項代誌。"),
    # --- API tokens and errors (accounts, api, core) ---
    "Your login has expired; please log in again.": T(
        "登录已过期，请重新登录。", "登入已經過咗期，請重新登入。", "登入已經過期矣，請重新登入。"),
    "Invalid token.": T("无效的令牌。", "無效嘅令牌。", "無效的令牌。"),
    "This login has been revoked; please log in again.": T(
        "此登录已被撤销，请重新登录。", "呢次登入已經被撤銷咗，請重新登入。",
        "這擺的登入已經撤銷矣，請重新登入。"),
    "The submitted data is invalid.": T("提交的数据无效。", "提交嘅資料無效。", "送出的資料無效。"),
    "Please log in first.": T("请先登录。", "請先登入。", "請先登入。"),
    "Not found.": T("未找到。", "搵唔到。", "揣無。"),
    "This field is required.": T("此项为必填项。", "呢格一定要填。", "這欄一定愛填。"),
    "Too short: at least %(n)s characters.": T(
        "太短：至少 %(n)s 个字符。", "太短：最少要 %(n)s 個字。", "傷短：上少愛 %(n)s 字。"),
    "Too long: at most %(n)s characters.": T(
        "太长：最多 %(n)s 个字符。", "太長：最多 %(n)s 個字。", "傷長：上濟 %(n)s 字。"),
    "Enter a valid number.": T("请输入有效的数字。", "請輸入有效嘅數字。", "請輸入有效的數字。"),
    "Enter a valid date.": T("请输入有效的日期。", "請輸入有效嘅日期。", "請輸入有效的日期。"),
    "Enter a valid value.": T("请输入有效的值。", "請輸入有效嘅值。", "請輸入有效的值。"),
    "Select a valid choice.": T(
        "请选择有效的选项。",
        "請揀一個有效嘅選項。",
        "請揀一个有效的選項。"),
    # --- Unified social credit code and ID numbers (merchants) ---
    "Institutional establishment": T("机构编制", "機構編制", "機構編制"),
    "Foreign affairs": T("外交", "外交", "外交"),
    "Justice administration": T("司法行政", "司法行政", "司法行政"),
    "Culture": T("文化", "文化", "文化"),
    "Civil affairs": T("民政", "民政", "民政"),
    "Tourism": T("旅游", "旅遊", "旅遊"),
    "Religious affairs": T("宗教", "宗教", "宗教"),
    "Trade unions": T("工会", "工會", "工會"),
    "Market regulation": T("市场监管", "市場監管", "市場監管"),
    "Military establishment": T("军队编制", "軍隊編制", "軍隊編制"),
    "Agriculture (collectives and co-operatives)": T(
        "农业（集体经济组织与合作社）",
        "農業（集體經濟組織同合作社）",
        "農業（集體經濟組織佮合作社）"),
    "Other": T("其他", "其他", "其他"),
    "The code body must have 17 characters.": T(
        "代码主体必须为 17 位。", "代碼主體一定要有 17 位。", "代碼主體愛有 17 位。"),
    "Character “%(char)s” at position %(position)d is not allowed in a unified social "
    "credit code.": T(
        "统一社会信用代码第 %(position)d 位的字符“%(char)s”不合法。",
        "統一社會信用代碼第 %(position)d 位唔可以係「%(char)s」。",
        "統一社會信用代碼第 %(position)d 位袂使是「%(char)s」。"),
    "A unified social credit code has 18 characters; this one has %(count)d.": T(
        "统一社会信用代码应为 18 位，当前为 %(count)d 位。",
        "統一社會信用代碼應該有 18 位，呢個有 %(count)d 位。",
        "統一社會信用代碼愛有 18 位，這个有 %(count)d 位。"),
    "The check character does not match: please look for a typo in the code.": T(
        "校验位不符，请检查代码是否输错。", "校驗位唔對，請睇下代碼有冇打錯。",
        "檢查碼無合，請看覓代碼敢有拍毋著。"),
    "The ID number body must be 17 digits.": T(
        "身份证号主体必须为 17 位数字。", "身份證號碼主體一定要係 17 位數字。",
        "身分證號碼主體愛是 17 位數字。"),
    "A resident ID number has 18 characters; this one has %(count)d.": T(
        "居民身份证号应为 18 位，当前为 %(count)d 位。",
        "居民身份證號碼應該有 18 位，呢個有 %(count)d 位。",
        "居民身分證號碼愛有 18 位，這个有 %(count)d 位。"),
    "Character “%(char)s” at position %(position)d is not allowed in a resident ID number.": T(
        "居民身份证号第 %(position)d 位的字符“%(char)s”不合法。",
        "居民身份證號碼第 %(position)d 位唔可以係「%(char)s」。",
        "居民身分證號碼第 %(position)d 位袂使是「%(char)s」。"),
    "The birth date in the ID number (%(date)s) is not a valid date.": T(
        "身份证号中的出生日期（%(date)s）无效。",
        "身份證號碼入面嘅出世日期（%(date)s）唔係有效日期。",
        "身分證號碼內底的出世日（%(date)s）毋是有效的日期。"),
    "The check character does not match: please look for a typo in the number.": T(
        "校验位不符，请检查号码是否输错。", "校驗位唔對，請睇下號碼有冇打錯。",
        "檢查碼無合，請看覓號碼敢有拍毋著。"),
    # --- Merchant applications (merchants) ---
    "Draft": T("草稿", "草稿", "草稿"),
    "Submitted": T("待审核", "等緊審核", "等審核"),
    "Approved": T("已通过", "已經通過", "已經通過"),
    "Rejected": T("已驳回", "已經退回", "已經退回"),
    "Suspended": T("已暂停", "暫停咗", "暫停矣"),
    "Company or individual business": T(
        "企业或个体工商户",
        "企業或者個體工商戶",
        "企業抑是個體工商戶"),
    "Individual farmer (own produce)": T(
        "农户个人（自产自销）", "農戶個人（自己種自己賣）", "農民個人（家己種家己賣）"),
    "applicant": T("申请人", "申請人", "申請人"),
    "subject type": T("主体类型", "主體類型", "主體類型"),
    "shop or company name": T("店铺或企业名称", "舖頭或者公司名", "店頭抑是公司名"),
    "unified social credit code": T("统一社会信用代码", "統一社會信用代碼", "統一社會信用代碼"),
    "legal representative": T("法定代表人", "法定代表人", "法定代表人"),
    "resident ID number (encrypted)": T(
        "居民身份证号（加密存储）", "居民身份證號碼（加密儲存）", "居民身分證號碼（加密保存）"),
    "resident ID number": T("居民身份证号", "居民身份證號碼", "居民身分證號碼"),
    "self-production pledge": T("自产自销承诺", "自產自銷承諾", "自產自銷承諾"),
    "district": T("区县", "區縣", "區縣"),
    "industry belt": T("产业带", "產業帶", "產業帶"),
    "contact mobile": T("联系手机", "聯絡手機", "聯絡手機"),
    "description": T("简介", "簡介", "簡介"),
    "shop address": T("店铺网址", "舖頭網址", "店頭網址"),
    "state": T("状态", "狀態", "狀態"),
    "created at": T("创建时间", "建立時間", "建立時間"),
    "updated at": T("更新时间", "更新時間", "更新時間"),
    "submitted at": T("提交时间", "提交時間", "送出時間"),
    "approved at": T("通过时间", "通過時間", "通過時間"),
    "merchant": T("商家", "商家", "商家"),
    "merchants": T("商家", "商家", "商家"),
    "from state": T("原状态", "原本狀態", "本底狀態"),
    "to state": T("新状态", "新狀態", "新狀態"),
    "actor": T("操作人", "操作人", "操作人"),
    "reason": T("原因", "原因", "原因"),
    "at": T("时间", "時間", "時間"),
    "merchant state change": T("商家状态变更", "商家狀態變更", "商家狀態變更"),
    "merchant state changes": T("商家状态变更", "商家狀態變更", "商家狀態變更"),
    "Owner": T("店主", "老闆", "頭家"),
    "user": T("用户", "用戶", "用戶"),
    "merchant member": T("商家成员", "商家成員", "商家成員"),
    "merchant members": T("商家成员", "商家成員", "商家成員"),
    "Business licence": T("营业执照", "營業執照", "營業執照"),
    "Food production licence (SC)": T(
        "食品生产许可证（SC）",
        "食品生產許可證（SC）",
        "食品生產許可證（SC）"),
    "CCC certificate": T("3C 认证证书", "3C 認證證書", "3C 認證證書"),
    "Inspection report": T("检验报告", "檢驗報告", "檢驗報告"),
    "kind": T("类型", "類型", "類型"),
    "number": T("编号", "編號", "編號"),
    "file": T("文件", "檔案", "檔案"),
    "content type": T("文件类型", "檔案類型", "檔案類型"),
    "issued on": T("签发日期", "簽發日期", "簽發日期"),
    "expires on": T("到期日期", "到期日", "到期日"),
    "verified": T("已核验", "已核實", "已經核對"),
    "verified at": T("核验时间", "核實時間", "核對時間"),
    "uploaded by": T("上传人", "上載人", "上傳人"),
    "qualification": T("资质", "資質", "資質"),
    "qualifications": T("资质", "資質", "資質"),
    "submit": T("提交", "提交", "送出"),
    "approve": T("通过", "批准", "通過"),
    "reject": T("驳回", "退回", "退回"),
    "suspend": T("暂停", "暫停", "暫停"),
    "reinstate": T("恢复", "恢復", "恢復"),
    "You already have a merchant application.": T(
        "您已有一份商家入驻申请。", "你已經有一份商家申請。", "你已經有一份商家申請矣。"),
    "The application cannot be changed while it is %(state)s.": T(
        "申请处于“%(state)s”状态，不能修改。", "申請而家係「%(state)s」，改唔到。",
        "申請這馬是「%(state)s」，袂當改。"),
    "Documents cannot be added while the application is %(state)s.": T(
        "申请处于“%(state)s”状态，不能添加资料。", "申請而家係「%(state)s」，加唔到文件。",
        "申請這馬是「%(state)s」，袂當加文件。"),
    "Choose a file to upload.": T(
        "请选择要上传的文件。",
        "請揀要上載嘅檔案。",
        "請揀欲上傳的檔案。"),
    "Please correct the marked fields.": T(
        "请修改标出的字段。", "請改好標咗嘅欄位。", "請改好有標記的欄位。"),
    "The application is incomplete: %(missing)s": T(
        "申请资料不完整：%(missing)s", "申請資料未齊：%(missing)s", "申請資料猶未齊：%(missing)s"),
    "Enter the legal representative (for a farmer: your name).": T(
        "请填写法定代表人（农户请填本人姓名）。", "請填法定代表人（農戶就填自己個名）。",
        "請填法定代表人（農民就填家己的名）。"),
    "A valid resident ID number is missing.": T(
        "缺少有效的居民身份证号。", "未有有效嘅居民身份證號碼。", "猶欠有效的居民身分證號碼。"),
    "Tick the self-production pledge.": T(
        "请勾选自产自销承诺。", "請剔選自產自銷承諾。", "請勾自產自銷承諾。"),
    "A valid unified social credit code is missing.": T(
        "缺少有效的统一社会信用代码。",
        "未有有效嘅統一社會信用代碼。",
        "猶欠有效的統一社會信用代碼。"),
    "Upload a current business licence.": T(
        "请上传在有效期内的营业执照。", "請上載仲有效嘅營業執照。", "請上傳猶有效的營業執照。"),
    "The business licence number must be the unified social credit code.": T(
        "营业执照编号必须是统一社会信用代码。", "營業執照編號一定要係統一社會信用代碼。",
        "營業執照編號愛是統一社會信用代碼。"),
    "You cannot review your own application.": T(
        "不能审核自己的申请。", "你唔可以審核自己嘅申請。", "你袂使審核家己的申請。"),
    "Document not found.": T("未找到该资料。", "搵唔到呢份文件。", "揣無這份文件。"),
    "Merchant application not found.": T(
        "未找到该商家申请。", "搵唔到呢份商家申請。", "揣無這份商家申請。"),
    "Cannot %(action)s an application that is %(state)s.": T(
        "“%(state)s”状态的申请无法%(action)s。", "「%(state)s」嘅申請冇辦法%(action)s。",
        "「%(state)s」的申請無法度%(action)s。"),
    "Give a reason.": T("请填写原因。", "請講原因。", "請寫原因。"),
    "The reason is too long.": T("原因太长。", "原因太長。", "原因傷長。"),
    "At most %(n)d characters.": T("最多 %(n)d 个字符。", "最多 %(n)d 個字。", "上濟 %(n)d 字。"),
    "This credit code or shop address was just taken; please try again.": T(
        "该信用代码或店铺网址刚被占用，请重试。", "呢個信用代碼或者舖頭網址啱啱俾人用咗，請再試。",
        "這个信用代碼抑是店頭網址拄才予人用去矣，請閣試一擺。"),
    "Select a valid document kind.": T(
        "请选择有效的资料类型。", "請揀有效嘅文件類型。", "請揀有效的文件類型。"),
    "The issue date cannot be in the future.": T(
        "签发日期不能晚于今天。", "簽發日期唔可以喺今日之後。", "簽發日期袂使佇今仔日以後。"),
    "This document has already expired.": T(
        "该资料已过期。",
        "呢份文件已經過咗期。",
        "這份文件已經過期矣。"),
    "The expiry date is before the issue date.": T(
        "到期日期早于签发日期。", "到期日早過簽發日期。", "到期日比簽發日期較早。"),
    "Select a valid subject type.": T(
        "请选择有效的主体类型。", "請揀有效嘅主體類型。", "請揀有效的主體類型。"),
    "Select a district or county.": T("请选择区县。", "請揀區縣。", "請揀區縣。"),
    "Select a valid industry belt.": T(
        "请选择有效的产业带。", "請揀有效嘅產業帶。", "請揀有效的產業帶。"),
    "Individual farmers apply without a credit code.": T(
        "农户个人申请无需填写信用代码。",
        "農戶個人申請唔使填信用代碼。",
        "農民個人申請免填信用代碼。"),
    "Only individual farmers give a resident ID number.": T(
        "只有农户个人需要填写居民身份证号。", "只有農戶個人先要填居民身份證號碼。",
        "干焦農民個人才愛填居民身分證號碼。"),
    "A merchant with this credit code is already registered.": T(
        "该信用代码的商家已注册。",
        "用呢個信用代碼嘅商家已經註冊咗。",
        "這个信用代碼的商家已經註冊過矣。"),
    "Use 3-50 lowercase letters, digits and single hyphens.": T(
        "请使用 3-50 位小写字母、数字和单个连字符。", "請用 3-50 個細楷字母、數字同單個連字號。",
        "請用 3-50 个小寫字母、數字佮單一个連字號。"),
    "This shop address is already taken.": T(
        "该店铺网址已被占用。", "呢個舖頭網址已經有人用咗。", "這个店頭網址已經有人用矣。"),
    "Upload a PDF, JPG or PNG file.": T(
        "请上传 PDF、JPG 或 PNG 文件。",
        "請上載 PDF、JPG 或者 PNG 檔案。",
        "請上傳 PDF、JPG 抑是 PNG 檔案。"),
    "The file is larger than 5 MB.": T(
        "文件超过 5 MB。", "個檔案大過 5 MB。", "檔案超過 5 MB。"),
    "The file is empty.": T("文件为空。", "個檔案係空嘅。", "檔案是空的。"),
    "The file's content is not a PDF, JPG or PNG file.": T(
        "文件内容不是 PDF、JPG 或 PNG 格式。", "個檔案內容唔係 PDF、JPG 或者 PNG。",
        "檔案內容毋是 PDF、JPG 抑是 PNG。"),
    # --- Merchant pages: onboarding, shop, review (merchants) ---
    "Open a shop": T("我要开店", "我要開舖", "我欲開店"),
    "Shop application": T("开店申请", "開舖申請", "開店申請"),
    "Edit application": T("修改申请", "修改申請", "修改申請"),
    "Applying as": T("申请主体", "申請身份", "申請身份"),
    "Who is applying": T("申请主体", "邊個申請", "啥人申請"),
    "Applicant": T("申请人", "申請人", "申請人"),
    "Account": T("账号", "帳戶", "帳號"),
    "Shop or company": T("店铺或企业", "舖頭或者公司", "店頭抑是公司"),
    "Shop or company name": T("店铺或企业名称", "舖頭或者公司名", "店頭抑是公司名"),
    "Unified social credit code": T("统一社会信用代码", "統一社會信用代碼", "統一社會信用代碼"),
    "Companies: the 18 characters on the business licence.": T(
        "企业：营业执照上的 18 位代码。", "企業：營業執照上面嘅 18 位代碼。",
        "企業：營業執照頂懸的 18 位代碼。"),
    "Legal representative": T("法定代表人", "法定代表人", "法定代表人"),
    "Farmers: your own name.": T(
        "农户：填写本人姓名。",
        "農戶：填自己個名。",
        "農民：填家己的名。"),
    "Resident ID number": T("居民身份证号", "居民身份證號碼", "居民身分證號碼"),
    "Farmers only. Stored encrypted, shown masked.": T(
        "仅农户填写。加密存储，脱敏显示。", "淨係農戶先要填。加密儲存，顯示嗰陣會遮住部分。",
        "干焦農民愛填。加密保存，顯示的時陣會遮一寡。"),
    "On file: %(masked)s. Leave blank to keep it.": T(
        "已存档：%(masked)s。留空则保持不变。", "已經存咗：%(masked)s。留空就唔會改。",
        "已經存檔：%(masked)s。無填就維持原本的。"),
    "Self-production pledge": T("自产自销承诺", "自產自銷承諾", "自產自銷承諾"),
    "I promise to sell only produce I grow or raise myself.": T(
        "我承诺只销售自己种植或养殖的农产品。", "我承諾淨係賣自己種或者自己養嘅農產品。",
        "我承諾干焦賣家己種抑是家己飼的農產品。"),
    "Given": T("已承诺", "已經承諾", "已經承諾"),
    "Not given": T("未承诺", "未承諾", "猶未承諾"),
    "Companies give their unified social credit code. Farmers selling their own produce give "
    "their ID number and the self-production pledge instead.": T(
        "企业填写统一社会信用代码；销售自产农产品的农户改为填写身份证号并作出自产自销承诺。",
        "企業填統一社會信用代碼；賣自己農產品嘅農戶就改為填身份證號碼同埋作自產自銷承諾。",
        "企業填統一社會信用代碼；賣家己農產品的農民改填身分證號碼，閣愛做自產自銷承諾。"),
    "Farmer selling own produce: no business registration required (E-Commerce Law, art. 10).": T(
        "销售自产农产品的农户，无需办理市场主体登记（《电子商务法》第十条）。",
        "賣自己農產品嘅農戶，唔使辦市場主體登記（《電子商務法》第十條）。",
        "賣家己農產品的農民，免辦市場主體登記（《電子商務法》第十條）。"),
    "District": T("区县", "區縣", "區縣"),
    "Industry belt": T("产业带", "產業帶", "產業帶"),
    "Contact mobile": T("联系手机", "聯絡手機", "聯絡手機"),
    "Shop address": T("店铺网址", "舖頭網址", "店頭網址"),
    "Optional: lowercase letters, digits and hyphens.": T(
        "选填：小写字母、数字和连字符。", "可以唔填：細楷字母、數字同連字號。",
        "會使免填：小寫字母、數字佮連字號。"),
    "About the shop": T("店铺简介", "舖頭簡介", "店頭簡介"),
    "optional": T("选填", "可以唔填", "會使免填"),
    "Save": T("保存", "儲存", "保存"),
    "Cancel": T("取消", "取消", "取消"),
    "Submit": T("提交", "提交", "送出"),
    "Submit for review": T("提交审核", "提交審核", "送審核"),
    "Application saved.": T("申请已保存。", "申請已經儲存咗。", "申請已經保存矣。"),
    "Application submitted for review.": T(
        "申请已提交审核。", "申請已經交咗去審核。", "申請已經送去審核矣。"),
    "Your application is being reviewed.": T(
        "您的申请正在审核中。", "你嘅申請審緊。", "你的申請當咧審核。"),
    "Your shop is open.": T("您的店铺已开业。", "你間舖頭開咗張喇。", "你的店頭開張矣。"),
    "Correct the application, then submit it again.": T(
        "请修改申请后重新提交。", "請改好申請再交過。", "請改好申請才閣送一擺。"),
    "The application cannot be changed in its current state.": T(
        "申请当前状态下不能修改。", "申請而家嘅狀態改唔到。", "申請這馬的狀態袂當改。"),
    "Still missing:": T("尚缺：", "仲差：", "猶欠："),
    "Everything needed is here.": T("所需资料已齐全。", "要嘅嘢齊晒。", "需要的資料攏齊矣。"),
    "Shop not found.": T("未找到该店铺。", "搵唔到呢間舖頭。", "揣無這間店頭。"),
    "Licence information": T("证照信息", "證照資料", "證照資料"),
    "Licences and certificates": T("证照资质", "牌照同證書", "執照佮證書"),
    "No licence on display.": T("暂无公示证照。", "暫時冇公示牌照。", "猶無公示執照。"),
    "Document": T("资料", "文件", "文件"),
    "Number": T("编号", "編號", "編號"),
    "File": T("文件", "檔案", "檔案"),
    "Scan or photo": T("扫描件或照片", "掃描或者相片", "掃描檔抑是相片"),
    "PDF, JPG or PNG, at most 5 MB.": T(
        "PDF、JPG 或 PNG，不超过 5 MB。", "PDF、JPG 或者 PNG，唔好大過 5 MB。",
        "PDF、JPG 抑是 PNG，上濟 5 MB。"),
    "Issued on": T("签发日期", "簽發日期", "簽發日期"),
    "Expires on": T("到期日期", "到期日", "到期日"),
    "Valid until": T("有效期至", "有效期至", "有效到"),
    "Leave blank if it does not expire.": T(
        "长期有效可留空。", "長期有效就留空。", "長期有效就莫填。"),
    "No expiry": T("长期有效", "長期有效", "長期有效"),
    "Expired": T("已过期", "過咗期", "過期矣"),
    "Verified": T("已核验", "已核實", "已經核對"),
    "Not yet verified": T("待核验", "未核實", "猶未核對"),
    "Verify": T("核验", "核實", "核對"),
    "Document verified.": T("资料已核验。", "文件核實咗。", "文件核對好矣。"),
    "Upload": T("上传", "上載", "上傳"),
    "Upload a document": T("上传资料", "上載文件", "上傳文件"),
    "Document uploaded.": T("资料已上传。", "文件上載咗。", "文件上傳好矣。"),
    "No documents uploaded yet.": T(
        "尚未上传任何资料。",
        "仲未上載任何文件。",
        "猶未上傳半份文件。"),
    "View": T("查看", "睇", "看"),
    "Status": T("状态", "狀態", "狀態"),
    "State": T("状态", "狀態", "狀態"),
    "States": T("状态", "狀態", "狀態"),
    "All": T("全部", "全部", "全部"),
    "History": T("历史记录", "記錄", "記錄"),
    "Reason": T("原因", "原因", "原因"),
    "Approve": T("通过", "批准", "通過"),
    "Reject": T("驳回", "退回", "退回"),
    "Suspend": T("暂停营业", "暫停營業", "暫停營業"),
    "Reinstate": T("恢复营业", "恢復營業", "恢復營業"),
    "Done.": T("操作成功。", "搞掂。", "好矣。"),
    "Submitted at": T("提交时间", "提交時間", "送出時間"),
    "Pages": T("分页", "分頁", "分頁"),
    "Previous": T("上一页", "上一頁", "頂一頁"),
    "Next": T("下一页", "下一頁", "後一頁"),
    "Page %(n)s of %(total)s": T(
        "第 %(n)s 页，共 %(total)s 页",
        "第 %(n)s 頁，總共 %(total)s 頁",
        "第 %(n)s 頁，攏總 %(total)s 頁"),
    "Nothing here.": T("暂无内容。", "呢度乜都冇。", "遮無物件。"),
    # --- Places and belts (regions) ---
    "Province": T("省", "省", "省"),
    "City": T("市", "市", "市"),
    "District / county": T("区/县", "區／縣", "區／縣"),
    "Township / street": T("乡镇/街道", "鄉鎮／街道", "鄉鎮／街仔路"),
    "Furniture": T("家具", "傢俬", "家具"),
    "Agriculture": T("农业", "農業", "農業"),
    "Small commodities": T("小商品", "小商品", "小商品"),
    # --- Shell navigation (web) ---
    "Merchant console": T("商家后台", "商家後台", "商家後台"),
    "Platform console": T("平台后台", "平台後台", "平台後台"),
    "Government console": T("政务后台", "政務後台", "政府後台"),
    "Home": T("首页", "主頁", "頭頁"),
    "Categories": T("分类", "分類", "分類"),
    "Cart": T("购物车", "購物車", "購物車"),
    "Me": T("我的", "我", "我"),
    "Overview": T("概览", "概覽", "總覽"),
    "Shop onboarding": T("店铺入驻", "開舖申請", "店頭入駐"),
    "Shop profile": T("店铺资料", "舖頭資料", "店頭資料"),
    "Staff": T("员工", "員工", "員工"),
    "Merchant review": T("商家审核", "商家審核", "商家審核"),
    "Site administration": T("系统管理", "系統管理", "系統管理"),
    "Menu": T("菜单", "選單", "選單"),
    "Console sections": T("后台栏目", "後台欄目", "後台項目"),
    "Back to storefront": T("返回商城", "返去商城", "轉去商城"),
    "Main": T("主导航", "主選單", "主選單"),
    "Site": T("网站导航", "網站導航", "網站導覽"),
    "Language": T("语言", "語言", "語言"),
    "Switch": T("切换", "轉換", "切換"),
    "Search": T("搜索", "搵嘢", "揣"),
    "Search local goods, shops, belts": T(
        "搜索本地好物、店铺、产业带", "搵本地好嘢、舖頭、產業帶", "揣在地好物、店頭、產業帶"),
    "Local goods, direct from the industry belts": T(
        "本地好物，产地直达", "本地好嘢，產地直送", "在地好物，產地直送"),
    # --- Storefront home (web) ---
    "The best of our industry belts, straight from the source": T(
        "产业带好物，产地直供", "產業帶好嘢，產地直送", "產業帶的好物，產地直送"),
    "Regional specialities": T("地方特产", "地道特產", "在地特產"),
    "Buy straight from the workshops, farms and tea gardens of our region's industry belts.": T(
        "从本地产业带的工坊、农场和茶园直接购买。",
        "由本地產業帶嘅工場、農場同茶園直接買。",
        "對阮在地產業帶的工場、農場佮茶園直接買。"),
    "Industry belts": T("产业带", "產業帶", "產業帶"),
    "No industry belts have been set up for this region yet.": T(
        "本地区尚未设置产业带。", "呢個地區暫時未設定產業帶。", "這个地區猶未設定產業帶。"),
    "Featured shops": T("精选店铺", "精選舖頭", "精選店頭"),
    "Shops appear here once the platform has approved them.": T(
        "店铺通过平台审核后将在这里展示。", "舖頭通過平台審核之後會喺度顯示。",
        "店頭通過平台審核了後，就會佇遮出現。"),
    # --- Console home pages (web) ---
    "Welcome, %(name)s": T("欢迎，%(name)s", "歡迎你，%(name)s", "歡迎光臨，%(name)s"),
    "You are signed in as: %(role)s": T(
        "当前身份：%(role)s", "你而家嘅身份：%(role)s", "你這馬的身份：%(role)s"),
    "Sections": T("功能入口", "功能入口", "功能入口"),
    "More sections appear here as they go live.": T(
        "更多功能上线后会显示在这里。", "更多功能上線之後會喺度顯示。",
        "閣較濟功能上線了後，會佇遮出現。"),
    "Manage your shop, its products and orders from here.": T(
        "在这里管理您的店铺、商品和订单。", "喺度管理你間舖頭嘅貨品同訂單。",
        "佇遮管理你的店頭、商品佮訂單。"),
    "Review merchants and keep the marketplace running smoothly.": T(
        "审核商家，保障平台平稳运行。", "審核商家，等個平台順順利利運作。",
        "審核商家，予平台順順仔運作。"),
    "Follow the region's trade, supervise the marketplace and publish policies.": T(
        "掌握本地区贸易动态，监管市场，发布政策。", "睇住地區貿易動態，監管市場，發布政策。",
        "掌握地區貿易動態、監管市場、發布政策。"),
    # --- Error pages (web) ---
    "You cannot open this page": T("您无权访问此页面", "你冇權睇呢頁", "你無權限看這頁"),
    "Your account does not have access to this page. If you think it should, ask the "
    "platform operator.": T(
        "您的账号没有访问此页面的权限。如有疑问，请联系平台运营人员。",
        "你嘅帳戶冇權限睇呢頁。如果覺得唔啱，請搵平台營運同事。",
        "你的帳號無權限看這頁。若感覺無應該按呢，請揣平台營運人員。"),
    "Page not found": T("页面不存在", "搵唔到呢頁", "揣無這頁"),
    "The page may have moved or the link may be wrong.": T(
        "页面可能已移动，或链接有误。", "呢頁可能搬咗，或者條連結有錯。",
        "這頁可能徙位矣，抑是連結毋著。"),
    "Too many requests": T("请求过于频繁", "請求太密", "請求傷濟"),
    "Please wait a moment and try again.": T(
        "请稍候再试。", "請等陣再試。", "請小等一下才閣試。"),
    "Something went wrong on our side": T("服务器出了点问题", "我哋呢邊出咗啲問題", "阮遮出問題矣"),
    "We have been notified. Please try again in a few minutes.": T(
        "我们已收到通知，请几分钟后再试。", "我哋已經收到通知，請過幾分鐘再試。",
        "阮已經收著通知，請過幾分鐘仔才閣試。"),
    "Back to home": T("返回首页", "返去首頁", "轉去頭頁"),
    # --- Added after the first pass (merchants review and staff) ---
    "Companies": T("企业", "公司", "公司"),
    "Farmers selling their own produce": T("自产自销农户", "自產自銷嘅農戶", "賣家己種作的農民"),
    "Reason: %(reason)s": T("原因：%(reason)s", "原因：%(reason)s", "原因：%(reason)s"),
    "Rejected: %(reason)s": T("已驳回：%(reason)s", "已駁回：%(reason)s", "已退件：%(reason)s"),
    "Suspended: %(reason)s": T("已暂停：%(reason)s", "已暫停：%(reason)s", "已暫停：%(reason)s"),
    "Staff can be added once the shop is approved; it is %(state)s.": T(
        "店铺通过审核后才能添加员工；当前状态：%(state)s。",
        "間舖審核通過咗先可以加員工；而家係%(state)s。",
        "店頭審核通過了後才會當加員工；這馬是%(state)s。"),
    "Staff member not found.": T("未找到该员工。", "搵唔到呢位員工。", "揣無這个員工。"),
    "Then upload the business licence on the next page.": T(
        "然后在下一页上传营业执照。", "跟住喺下一頁上載營業執照。", "紲落來佇下一頁上傳營業執照。"),
    "This account already works for a shop.": T(
        "该账号已是其他店铺的员工。", "呢個帳戶已經喺另一間舖做緊。",
        "這个帳號已經佇別間店頭做工課。"),
    "This account cannot become shop staff.": T(
        "该账号不能成为店铺员工。", "呢個帳戶唔可以做舖頭員工。", "這个帳號袂當做店頭員工。"),
    # --- Products and attributes (catalog) ---
    "Your shop is not open yet.": T(
        "您的店铺尚未开业。", "你間舖頭仲未開張。", "你的店頭猶未開張。"),
    "Product not found.": T("未找到该商品。", "搵唔到呢件貨品。", "揣無這項商品。"),
    "Enter text.": T("请输入文字。", "請輸入文字。", "請輸入文字。"),
    "Enter the number as text, e.g. \"1.8\".": T(
        "请以文字形式输入数字，例如“1.8”。", "請用文字格式輸入數字，例如「1.8」。",
        "請用文字的格式輸入數字，親像「1.8」。"),
    "Enter a number.": T("请输入数字。", "請輸入數字。", "請輸入數字。"),
    "Enter a number of at most %(n)d digits.": T(
        "请输入不超过 %(n)d 位的数字。", "請輸入最多 %(n)d 位嘅數字。",
        "請輸入上濟 %(n)d 位的數字。"),
    "At most %(n)d decimal places.": T(
        "最多 %(n)d 位小数。", "最多 %(n)d 個小數位。", "小數上濟 %(n)d 位。"),
    "Choose one of: %(choices)s": T(
        "请从以下选项中选择一项：%(choices)s", "請喺呢啲入面揀一個：%(choices)s",
        "請對遮揀一个：%(choices)s"),
    "Choose from: %(choices)s": T(
        "请从以下选项中选择：%(choices)s", "請喺呢啲入面揀：%(choices)s", "請對遮揀：%(choices)s"),
    "Enter a date as YYYY-MM-DD.": T(
        "请按 YYYY-MM-DD 格式输入日期。", "請用 YYYY-MM-DD 格式輸入日期。",
        "請用 YYYY-MM-DD 的格式輸入日期。"),
    "Answer yes or no.": T(
        "请填写“是”或“否”。", "請答「係」或者「唔係」。", "請應「是」抑是「毋是」。"),
    "Unknown attribute type.": T("未知的属性类型。", "唔知咩屬性類型。", "毋知影的屬性類型。"),
    "Give at least one value.": T("请至少填写一个值。", "最少要填一個值。", "上少愛填一个值。"),
    "At most %(n)d values.": T("最多 %(n)d 个值。", "最多 %(n)d 個值。", "上濟 %(n)d 个值。"),
    "Not allowed here: %(values)s": T(
        "此处不允许的值：%(values)s", "呢度唔接受：%(values)s", "遮袂使用：%(values)s"),
    "This category has no such attribute.": T(
        "该类目没有这个属性。", "呢個類目冇呢個屬性。", "這个類目無這个屬性。"),
    "%(name)s is required.": T("%(name)s不能为空。", "%(name)s一定要填。", "%(name)s一定愛填。"),
    "Some attributes are missing or invalid.": T(
        "部分属性缺失或无效。", "有啲屬性漏咗或者唔啱。", "有一寡屬性欠填抑是無效。"),
    "Yes": T("是", "係", "是"),
    "No": T("否", "唔係", "毋是"),
    "Parent category": T("上级类目", "上一層類目", "頂一層類目"),
    "(top level)": T("（一级类目）", "（最頂層）", "（上頂層）"),
    "Name": T("名称", "名稱", "名稱"),
    "Slug": T("URL 别名", "網址代號", "網址代號"),
    "Lowercase letters, digits and hyphens; used in addresses.": T(
        "小写字母、数字和连字符，用于网址。", "細楷字母、數字同連字號，用喺網址。",
        "小寫字母、數字佮連字號，用佇網址。"),
    "Position": T("排序", "排序", "排序"),
    "Products need review before sale": T(
        "商品上架前需审核", "貨品上架前要審核", "商品上架進前愛審核"),
    "Documents each product must carry": T(
        "每件商品须提供的资料", "每件貨品都要附嘅文件", "逐項商品攏愛附的文件"),
    "Licences the merchant must hold": T(
        "商家须具备的资质", "商家一定要有嘅牌照", "商家愛有的執照"),
    "Code": T("代码", "代碼", "代碼"),
    "Stable key, e.g. material. Reuse a parent's code to redefine it.": T(
        "固定的键名，例如 material。使用上级类目的代码即可重新定义该属性。",
        "固定嘅鍵名，例如 material。用返上層類目嘅代碼就可以重新定義。",
        "固定的鍵名，親像 material。用頂層類目的代碼就會當重新定義。"),
    "Type": T("类型", "類型", "類型"),
    "Unit": T("单位", "單位", "單位"),
    "Numbers only, e.g. cm, kg.": T(
        "仅用于数字类型，例如 cm、kg。", "淨係數字用，例如 cm、kg。", "干焦數字用，親像 cm、kg。"),
    "Choices": T("可选值", "選項", "選項"),
    "One per line. Needed for choice types; optional for spec axes.": T(
        "每行一个。选择类型必填；规格项可不填。", "一行一個。選擇類型一定要填；規格項可以唔填。",
        "一逝一个。選擇類型愛填；規格項會使免填。"),
    "Required to publish": T("发布时必填", "發佈前一定要填", "發布進前愛填"),
    "Usable as a search filter": T(
        "可作为搜索筛选条件", "可以用嚟篩選搜尋結果", "會當用來篩選搜揣結果"),
    "Spec axis (generates SKUs)": T(
        "规格项（生成 SKU）", "規格項（會生成 SKU）", "規格項（會產生 SKU）"),
    "Help for merchants": T("商家填写说明", "俾商家嘅說明", "予商家的說明"),
    "Product name": T("商品名称", "貨品名稱", "商品名稱"),
    "Brand": T("品牌", "牌子", "牌子"),
    "Origin": T("产地", "產地", "產地"),
    "The district it was made or grown in.": T(
        "商品生产或种植所在的区县。", "貨品喺邊個區縣出產或者種出嚟。",
        "商品佇佗一个區縣生產抑是種的。"),
    "e.g. 件, 套, 斤, 箱": T(
        "例如：件、套、斤、箱", "例如：件、套、斤、箱", "親像：件、套、斤、箱"),
    "Price (yuan)": T("价格（元）", "價錢（元）", "價數（元）"),
    "Default price of new SKUs; SKUs may differ.": T(
        "新建 SKU 的默认价格，各 SKU 可单独设置。", "新 SKU 嘅預設價錢；每個 SKU 可以唔同。",
        "新 SKU 的預設價數；逐个 SKU 會當無仝。"),
    "Description": T("商品详情", "貨品介紹", "商品介紹"),
    "Main image": T("主图", "主圖", "主圖"),
    "Add gallery images": T("添加商品图片", "加貨品相", "加商品相片"),
    "JPG or PNG; several at once.": T(
        "JPG 或 PNG，可一次选择多张。", "JPG 或者 PNG，可以一次揀幾張。",
        "JPG 抑是 PNG，會當一擺揀幾若張。"),
    "PDF, JPG or PNG.": T("PDF、JPG 或 PNG。", "PDF、JPG 或者 PNG。", "PDF、JPG 抑是 PNG。"),
    "Add a tag": T("添加标签", "加標籤", "加標籤"),
    "Spec axis: each value chosen becomes SKUs.": T(
        "规格项：所选的每个值都会生成 SKU。", "規格項：揀咗嘅每個值都會變成 SKU。",
        "規格項：揀的逐个值攏會變做 SKU。"),
    "Separate values with commas.": T(
        "多个值用逗号分隔。", "幾個值用逗號分開。", "幾若个值用逗號分開。"),
    "Current file: %(name)s": T(
        "当前文件：%(name)s", "而家嘅檔案：%(name)s", "這馬的檔案：%(name)s"),
    "Give both a name and a value (row “%(row)s”).": T(
        "请同时填写名称和值（第“%(row)s”行）。", "名同值都要填（第「%(row)s」行）。",
        "名佮值攏愛填（第「%(row)s」列）。"),
    "Quantity “%(value)s” is not a whole number.": T(
        "数量“%(value)s”不是整数。", "數量「%(value)s」唔係整數。", "數量「%(value)s」毋是整數。"),
    "Price “%(value)s” is not an amount.": T(
        "价格“%(value)s”不是有效金额。", "價錢「%(value)s」唔係有效金額。",
        "價數「%(value)s」毋是有效的金額。"),
    "Tier quantities start at 2.": T(
        "阶梯数量须从 2 起。", "階梯數量最少由 2 開始。", "階梯數量上少對 2 開始。"),
    "Prices cannot be negative.": T("价格不能为负数。", "價錢唔可以係負數。", "價數袂使是負數。"),
    "SKU code": T("SKU 编码", "SKU 編號", "SKU 編號"),
    "Barcode": T("条形码", "條碼", "條碼"),
    "Weight (g)": T("重量（克）", "重量（克）", "重量（公克）"),
    "Volume (cm³)": T("体积（cm³）", "體積（cm³）", "體積（cm³）"),
    "Active": T("启用", "啟用", "啟用"),
    # --- Spreadsheet import: cells, columns, rows (catalog) ---
    "Enter a price in yuan, e.g. 95.00.": T(
        "请输入以元为单位的价格，例如 95.00。", "請輸入以元計嘅價錢，例如 95.00。",
        "請輸入用元算的價數，親像 95.00。"),
    "A price has at most two decimals.": T(
        "价格最多保留两位小数。", "價錢最多兩個小數位。", "價數上濟兩位小數。"),
    "The price must be more than 0.": T(
        "价格必须大于 0。", "價錢一定要大過 0。", "價數愛比 0 較大。"),
    "The price is too high.": T("价格过高。", "價錢太高。", "價數傷懸。"),
    "Enter a whole number.": T("请输入整数。", "請輸入整數。", "請輸入整數。"),
    "Enter a number of at least %(n)d.": T(
        "请输入不小于 %(n)d 的数字。", "請輸入最少 %(n)d 嘅數字。", "請輸入上少 %(n)d 的數字。"),
    "The number is too large.": T("数值过大。", "個數太大。", "數字傷大。"),
    "Enter a valid EAN/UPC barcode (8, 12, 13 or 14 digits).": T(
        "请输入有效的 EAN/UPC 条形码（8、12、13 或 14 位）。",
        "請輸入有效嘅 EAN/UPC 條碼（8、12、13 或者 14 位）。",
        "請輸入有效的 EAN/UPC 條碼（8、12、13 抑是 14 位）。"),
    "Write tiers as quantity:price; e.g. 10:95.00;50:88.00": T(
        "阶梯价格式为“数量:价格”，例如 10:95.00;50:88.00",
        "階梯價要寫成「數量:價錢」，例如 10:95.00;50:88.00",
        "階梯價愛寫做「數量:價數」，親像 10:95.00;50:88.00"),
    "A tier starts at a whole quantity of at least 2.": T(
        "阶梯起始数量须为不小于 2 的整数。", "每級階梯嘅起始數量要係 2 或以上嘅整數。",
        "逐級階梯的起始數量愛是 2 以上的整數。"),
    "Tier quantities must rise from left to right.": T(
        "阶梯数量须从左到右递增。", "階梯數量要由左至右遞增。", "階梯數量愛對倒爿到正爿漸漸加。"),
    "Tier prices must fall as the quantity rises.": T(
        "阶梯价格须随数量增加而递减。", "數量越多，階梯價錢要越平。", "數量愈濟，階梯價數愛愈俗。"),
    "At most %(n)d tiers.": T("最多 %(n)d 个阶梯。", "最多 %(n)d 級階梯。", "上濟 %(n)d 級階梯。"),
    "A tier price cannot exceed the SKU price.": T(
        "阶梯价不能高于 SKU 价格。", "階梯價唔可以貴過 SKU 價錢。", "階梯價袂使比 SKU 價數較貴。"),
    "Write extra attributes as name:value; e.g. 工艺:榫卯;保修:十年": T(
        "自定义属性格式为“名称:值”，例如 工艺:榫卯;保修:十年",
        "自訂屬性要寫成「名稱:值」，例如 工艺:榫卯;保修:十年",
        "自訂屬性愛寫做「名稱:值」，親像 工艺:榫卯;保修:十年"),
    "Names up to 20 and values up to 100 characters.": T(
        "名称最多 20 个字，值最多 100 个字。", "名稱最多 20 個字，值最多 100 個字。",
        "名稱上濟 20 字，值上濟 100 字。"),
    "%(name)s is already an attribute of this category.": T(
        "%(name)s已是该类目的属性。", "%(name)s已經係呢個類目嘅屬性。",
        "%(name)s已經是這个類目的屬性矣。"),
    "%(name)s is given twice.": T("%(name)s重复填写。", "%(name)s填咗兩次。", "%(name)s填兩擺矣。"),
    "At most %(n)d extra attributes.": T(
        "最多 %(n)d 个自定义属性。", "最多 %(n)d 個自訂屬性。", "上濟 %(n)d 个自訂屬性。"),
    "Text: rows with the same number are one product": T(
        "文本：编号相同的行属于同一商品", "文字：編號相同嘅行屬於同一件貨品",
        "文字：編號仝款的列是仝一項商品"),
    "Text, at most 120 characters": T(
        "文本，最多 120 个字", "文字，最多 120 個字", "文字，上濟 120 字"),
    "Text, at most 60 characters": T(
        "文本，最多 60 个字", "文字，最多 60 個字", "文字，上濟 60 字"),
    "District or county name, or its 6-digit code": T(
        "区县名称或 6 位区划代码", "區縣名稱或者 6 位代碼", "區縣名稱抑是 6 位代碼"),
    "Text, at most 10 characters, default 件": T(
        "文本，最多 10 个字，默认为“件”", "文字，最多 10 個字，預設係「件」",
        "文字，上濟 10 字，預設是「件」"),
    "Text": T("文本", "文字", "文字"),
    "Text, unique in your shop; left blank, one is made up": T(
        "文本，在店内唯一；留空则自动生成", "文字，喺你間舖入面唔可以重複；留空就自動生成",
        "文字，佇你的店頭內底袂使重複；無填就自動產生"),
    "8 to 14 digits": T("8 至 14 位数字", "8 至 14 位數字", "8 到 14 位數字"),
    "Amount in yuan, at most two decimals": T(
        "金额（元），最多两位小数", "金額（元），最多兩個小數位", "金額（元），上濟兩位小數"),
    "Whole number of grams": T("整数，单位为克", "整數，以克計", "整數，用公克算"),
    "Whole number of cubic centimetres": T(
        "整数，单位为立方厘米", "整數，以立方厘米計", "整數，用立方公分算"),
    "From-quantity:price pairs, e.g. 10:95.00;50:88.00": T(
        "“起批数量:价格”，例如 10:95.00;50:88.00", "「起批數量:價錢」，例如 10:95.00;50:88.00",
        "「起批數量:價數」，親像 10:95.00;50:88.00"),
    "Name:value pairs, e.g. 工艺:榫卯;保修:十年": T(
        "“名称:值”，例如 工艺:榫卯;保修:十年", "「名稱:值」，例如 工艺:榫卯;保修:十年",
        "「名稱:值」，親像 工艺:榫卯;保修:十年"),
    "One value per SKU row": T("每个 SKU 行填一个值", "每行 SKU 填一個值", "逐列 SKU 填一个值"),
    "One of the allowed values": T("可选值之一", "揀其中一個可用嘅值", "揀其中一个會使用的值"),
    "Several allowed values separated by 、": T(
        "多个可选值，用“、”分隔", "幾個可用嘅值，用「、」分開", "幾若个會使用的值，用「、」分開"),
    "Date as YYYY-MM-DD": T(
        "日期，格式为 YYYY-MM-DD", "日期，格式係 YYYY-MM-DD", "日期，格式是 YYYY-MM-DD"),
    "是 or 否": T("填“是”或“否”", "填「是」或者「否」", "填「是」抑是「否」"),
    "This file is for %(file)s, not for the chosen category %(chosen)s.": T(
        "该文件对应的是%(file)s，而不是所选类目%(chosen)s。",
        "呢個檔案係%(file)s用嘅，唔係你揀嘅類目%(chosen)s。",
        "這个檔案是%(file)s用的，毋是你揀的類目%(chosen)s。"),
    "The category of this sheet no longer exists; download a new template.": T(
        "该工作表对应的类目已不存在，请重新下载模板。",
        "呢張工作表嘅類目已經冇咗，請重新下載範本。",
        "這張工作表的類目已經無去矣，請重新下載範本。"),
    "Choose the category of the products in this file.": T(
        "请选择该文件中商品所属的类目。", "請揀呢個檔案入面貨品嘅類目。",
        "請揀這个檔案內底商品的類目。"),
    "The category %(name)s is closed.": T(
        "类目%(name)s已停用。", "類目%(name)s已經停用咗。", "類目%(name)s已經停用矣。"),
    "Unknown column: it is not in the template of %(category)s.": T(
        "未知的列：%(category)s的模板中没有该列。", "唔識呢欄：%(category)s嘅範本冇呢欄。",
        "毋捌的欄：%(category)s的範本無這欄。"),
    "This column appears twice.": T("该列重复出现。", "呢欄出現咗兩次。", "這欄出現兩擺。"),
    "This column is missing.": T("缺少该列。", "漏咗呢欄。", "欠這欄。"),
    "The file is not a real .xlsx workbook.": T(
        "该文件不是有效的 .xlsx 工作簿。", "呢個檔案唔係真正嘅 .xlsx 活頁簿。",
        "這个檔案毋是真正的 .xlsx 活頁簿。"),
    "Save the file as .xlsx or .csv first.": T(
        "请先将文件另存为 .xlsx 或 .csv 格式。", "請先將檔案另存做 .xlsx 或者 .csv。",
        "請先共檔案另存做 .xlsx 抑是 .csv。"),
    "Upload an .xlsx or .csv file.": T(
        "请上传 .xlsx 或 .csv 文件。", "請上載 .xlsx 或者 .csv 檔案。",
        "請上傳 .xlsx 抑是 .csv 檔案。"),
    "The file is larger than 20 MB.": T(
        "文件超过 20 MB。", "個檔案大過 20 MB。", "檔案超過 20 MB。"),
    "The file has no header row.": T("文件缺少表头行。", "個檔案冇標題行。", "檔案無標題列。"),
    "At most %(n)d rows per file; split it into several files.": T(
        "每个文件最多 %(n)d 行，请拆分成多个文件。", "每個檔案最多 %(n)d 行，請拆開做幾個檔案。",
        "一个檔案上濟 %(n)d 列，請拆做幾若个檔案。"),
    "Save the CSV file as UTF-8 or GB18030 text.": T(
        "请将 CSV 文件保存为 UTF-8 或 GB18030 编码。",
        "請將 CSV 檔案儲存做 UTF-8 或者 GB18030 編碼。",
        "請共 CSV 檔案保存做 UTF-8 抑是 GB18030 編碼。"),
    "The workbook cannot be read; save it again as .xlsx.": T(
        "无法读取该工作簿，请重新另存为 .xlsx。", "讀唔到呢個活頁簿，請重新另存做 .xlsx。",
        "這个活頁簿讀袂出來，請閣另存做 .xlsx。"),
    "Several places are called %(name)s; enter the 6-digit code.": T(
        "有多个地方名为%(name)s，请填写 6 位区划代码。", "有幾個地方都叫%(name)s，請填 6 位代碼。",
        "有幾若个所在攏號做%(name)s，請填 6 位代碼。"),
    "Unknown district or county: %(name)s.": T(
        "未知的区县：%(name)s。", "唔識呢個區縣：%(name)s。", "毋捌這个區縣：%(name)s。"),
    "Enter the product number; rows with the same number are one product.": T(
        "请填写商品编号，编号相同的行属于同一商品。", "請填貨品編號；編號相同嘅行屬於同一件貨品。",
        "請填商品編號；編號仝款的列是仝一項商品。"),
    "This product number is already used on sheet %(sheet)s.": T(
        "该商品编号已在工作表%(sheet)s中使用。", "呢個貨品編號已經喺工作表%(sheet)s用咗。",
        "這个商品編號已經佇工作表%(sheet)s用過矣。"),
    "Differs from row %(row)d of the same product.": T(
        "与同一商品的第 %(row)d 行不一致。", "同一件貨品嘅第 %(row)d 行唔一樣。",
        "佮仝一項商品的第 %(row)d 列無仝。"),
    "Enter the product name.": T("请填写商品名称。", "請填貨品名稱。", "請填商品名稱。"),
    "Use 1-60 letters, digits and . _ / -": T(
        "请使用 1-60 位字母、数字及 . _ / -", "請用 1-60 個字母、數字同 . _ / -",
        "請用 1-60 个字母、數字佮 . _ / -"),
    "Enter the price.": T("请填写价格。", "請填價錢。", "請填價數。"),
    "row %(row)d": T("第 %(row)d 行", "第 %(row)d 行", "第 %(row)d 列"),
    "row %(row)d of sheet %(sheet)s": T(
        "工作表%(sheet)s第 %(row)d 行", "工作表%(sheet)s第 %(row)d 行",
        "工作表%(sheet)s第 %(row)d 列"),
    "SKU code %(code)s is also on %(where)s.": T(
        "SKU 编码 %(code)s 在%(where)s中重复出现。", "SKU 編號 %(code)s 喺%(where)s都有。",
        "SKU 編號 %(code)s 佇%(where)s嘛有。"),
    "Your shop already has a SKU with code %(code)s.": T(
        "您的店铺已有编码为 %(code)s 的 SKU。", "你間舖已經有編號 %(code)s 嘅 SKU。",
        "你的店頭已經有編號 %(code)s 的 SKU 矣。"),
    "Give a value in every row of this product, or in none.": T(
        "该商品的各行要么都填写，要么都不填。", "呢件貨品每一行都要填，或者全部唔填。",
        "這項商品逐列攏愛填，抑是攏莫填。"),
    "At most %(max)d SKUs per product.": T(
        "每个商品最多 %(max)d 个 SKU。", "每件貨品最多 %(max)d 個 SKU。",
        "一項商品上濟 %(max)d 个 SKU。"),
    "The spec values are too long.": T("规格值过长。", "規格值太長。", "規格值傷長。"),
    "Same spec as row %(row)d of this product.": T(
        "与该商品第 %(row)d 行的规格相同。", "同呢件貨品第 %(row)d 行嘅規格一樣。",
        "佮這項商品第 %(row)d 列的規格仝款。"),
    "A product without spec values has one row; fill in the spec columns.": T(
        "未填规格值的商品只能有一行，请填写规格列。", "冇規格值嘅貨品得一行；請填規格欄。",
        "無規格值的商品干焦一列；請填規格欄。"),
    "Sheet: %(title)s": T("工作表：%(title)s", "工作表：%(title)s", "工作表：%(title)s"),
    "Column": T("列", "欄", "欄"),
    "Required": T("必填", "必填", "愛填"),
    "What to enter": T("填写说明", "要填乜嘢", "愛填啥物"),
    "Allowed values": T("可选值", "可用嘅值", "會使用的值"),
    "Key": T("字段代码", "欄位代碼", "欄位代碼"),
    "How to fill in this template": T("模板填写说明", "點樣填呢個範本", "這个範本按怎填"),
    "One row per SKU. Rows with the same 商品编号 are the SKUs of one product.": T(
        "每行一个 SKU。“商品编号”相同的行是同一商品的各个 SKU。",
        "每行一個 SKU。「商品编号」相同嘅行係同一件貨品嘅 SKU。",
        "一列一个 SKU。「商品编号」仝款的列是仝一項商品的 SKU。"),
    "Product columns (name, brand, attributes...) may be left blank on a product's later rows; "
    "if filled they must match its first row.": T(
        "商品列（名称、品牌、属性等）在同一商品的后续行中可留空；如填写，须与首行一致。",
        "貨品欄（名稱、牌子、屬性等）喺同一件貨品後面嘅行可以留空；如果有填，就要同第一行一樣。",
        "商品欄（名稱、牌子、屬性等等）佇仝一項商品後壁的列會使免填；若有填，就愛佮第一列仝款。"),
    "Spec columns: one value per row; each combination only once per product.": T(
        "规格列：每行填一个值；同一商品中每种组合只能出现一次。",
        "規格欄：每行填一個值；同一件貨品每個組合只可以出現一次。",
        "規格欄：一列填一个值；仝一項商品逐種組合干焦會使出現一擺。"),
    "Red headers are required. Prices are in yuan with at most two decimals.": T(
        "红色表头为必填项。价格以元为单位，最多两位小数。",
        "紅色標題係必填。價錢以元計，最多兩個小數位。",
        "紅色標題是愛填的。價數用元算，上濟兩位小數。"),
    "Do not change row 2 (hidden): it tells the importer which column is which.": T(
        "请勿修改第 2 行（已隐藏），导入程序靠它识别各列。",
        "唔好改第 2 行（已隱藏）：匯入程式靠佢認出每一欄。",
        "莫改第 2 列（已經藏起來）：匯入程式靠伊認出逐欄。"),
    "Products are imported as drafts; add photos and documents, then publish.": T(
        "商品将以草稿形式导入；请补充图片和资料后再发布。",
        "貨品會以草稿匯入；加埋相片同文件之後先發佈。",
        "商品會用草稿匯入；加相片佮文件了後才發布。"),
    # --- Import jobs (catalog) ---
    "Queued": T("排队中", "排緊隊", "咧排隊"),
    "Checking rows": T("正在校验数据行", "檢查緊每行", "當咧檢查逐列"),
    "Importing": T("导入中", "匯入緊", "當咧匯入"),
    "Done": T("已完成", "搞掂", "好矣"),
    "Failed": T("失败", "失敗咗", "失敗矣"),
    "Reading the file": T("正在读取文件", "讀緊檔案", "當咧讀檔案"),
    "Writing products": T("正在写入商品", "寫緊貨品", "當咧寫入商品"),
    "Suggesting tags": T("正在推荐标签", "建議緊標籤", "當咧建議標籤"),
    "category": T("类目", "類目", "類目"),
    "file name": T("文件名", "檔案名", "檔案名"),
    "import only the valid rows": T("仅导入有效行", "淨係匯入有效嘅行", "干焦匯入有效的列"),
    "status": T("状态", "狀態", "狀態"),
    "stage": T("阶段", "階段", "階段"),
    "rows": T("行数", "行數", "列數"),
    "rows processed": T("已处理行数", "處理咗嘅行數", "處理好的列數"),
    "errors": T("错误", "錯誤", "錯誤"),
    "result": T("结果", "結果", "結果"),
    "message": T("消息", "訊息", "訊息"),
    "finished at": T("完成时间", "完成時間", "完成時間"),
    "import job": T("导入任务", "匯入工作", "匯入工作"),
    "import jobs": T("导入任务", "匯入工作", "匯入工作"),
    # --- Category, attribute and product fields (catalog) ---
    "parent category": T("上级类目", "上一層類目", "頂一層類目"),
    "name": T("名称", "名稱", "名稱"),
    "slug": T("URL 别名", "網址代號", "網址代號"),
    "position": T("排序", "排序", "排序"),
    "active": T("启用", "啟用", "啟用"),
    "products need review before sale": T(
        "商品上架前需审核", "貨品上架前要審核", "商品上架進前愛審核"),
    "Publishing sends products to the review queue first.": T(
        "发布后商品将先进入审核队列。", "發佈之後貨品會先排隊等審核。",
        "發布了後商品會先排隊等審核。"),
    "required product documents": T("商品必备资料", "貨品必需文件", "商品必要文件"),
    "required merchant qualifications": T("商家必备资质", "商家必需資質", "商家必要資質"),
    "categories": T("类目", "類目", "類目"),
    "Single choice": T("单选", "單選", "單選"),
    "Multiple choice": T("多选", "多選", "多選"),
    "Date": T("日期", "日期", "日子"),
    "Yes / no": T("是/否", "係／唔係", "是／毋是"),
    "code": T("代码", "代碼", "代碼"),
    "type": T("类型", "類型", "類型"),
    "unit": T("单位", "單位", "單位"),
    "choices": T("可选值", "選項", "選項"),
    "required": T("必填", "必填", "愛填"),
    "usable as a filter": T("可作筛选条件", "可以用嚟篩選", "會當用來篩選"),
    "spec axis (generates SKUs)": T(
        "规格项（生成 SKU）", "規格項（會生成 SKU）", "規格項（會產生 SKU）"),
    "help text": T("帮助说明", "說明文字", "說明文字"),
    "Pending review": T("待审核", "等緊審核", "等審核"),
    "On sale": T("出售中", "發售緊", "咧賣"),
    "Off sale": T("已下架", "落咗架", "下架矣"),
    "Taken down": T("违规下架", "被強制落架", "予人強制下架"),
    "brand": T("品牌", "牌子", "牌子"),
    "origin": T("产地", "產地", "產地"),
    "price (fen)": T("价格（分）", "價錢（分）", "價數（分）"),
    "lowest price (fen)": T("最低价（分）", "最低價（分）", "上俗價（分）"),
    "main image": T("主图", "主圖", "主圖"),
    "attributes": T("属性", "屬性", "屬性"),
    "extra attributes": T("自定义属性", "自訂屬性", "自訂屬性"),
    "takedown reason": T("下架原因", "落架原因", "下架原因"),
    "sales": T("销量", "銷量", "銷量"),
    "published at": T("发布时间", "發佈時間", "發布時間"),
    "product": T("商品", "貨品", "商品"),
    "products": T("商品", "貨品", "商品"),
    "barcode": T("条形码", "條碼", "條碼"),
    "spec": T("规格", "規格", "規格"),
    "weight (g)": T("重量（克）", "重量（克）", "重量（公克）"),
    "volume (cm³)": T("体积（cm³）", "體積（cm³）", "體積（cm³）"),
    "from quantity": T("起批数量", "起批數量", "起批數量"),
    "unit price (fen)": T("单价（分）", "單價（分）", "單價（分）"),
    "Regional speciality": T("地方特产", "地道特產", "在地特產"),
    "Marketing": T("营销", "推廣", "行銷"),
    "Compliance": T("合规", "合規", "合規"),
    "family": T("标签类别", "標籤類別", "標籤類別"),
    "keyword": T("关键词", "關鍵字", "關鍵字"),
    "Suggested": T("推荐", "建議", "建議"),
    "Accepted": T("已接受", "接受咗", "接受矣"),
    # --- Console navigation (catalog) ---
    "Products": T("商品", "貨品", "商品"),
    "Import and export": T("导入导出", "匯入匯出", "匯入匯出"),
    "Categories and schemas": T("类目与属性", "類目同屬性", "類目佮屬性"),
    "Product review": T("商品审核", "貨品審核", "商品審核"),
    "Product supervision": T("商品监管", "貨品監管", "商品監管"),
    # --- Product services: uploads, imports, editing (catalog) ---
    "Upload a JPG or PNG image.": T(
        "请上传 JPG 或 PNG 图片。", "請上載 JPG 或者 PNG 圖片。", "請上傳 JPG 抑是 PNG 圖片。"),
    "The image has too many pixels.": T("图片像素过多。", "張圖像素太多。", "圖片的像素傷濟。"),
    "The file is not a valid JPG or PNG image.": T(
        "该文件不是有效的 JPG 或 PNG 图片。", "呢個檔案唔係有效嘅 JPG 或者 PNG 圖片。",
        "這个檔案毋是有效的 JPG 抑是 PNG 圖片。"),
    "Select a valid category.": T("请选择有效的类目。", "請揀有效嘅類目。", "請揀有效的類目。"),
    "The import stopped because of an internal error; nothing was written.": T(
        "导入因内部错误中止，未写入任何数据。", "匯入因為內部錯誤停咗，乜都冇寫入。",
        "匯入因為內部錯誤停去矣，啥物攏無寫入。"),
    "Nothing was imported: correct the errors and upload the file again.": T(
        "未导入任何商品：请修正错误后重新上传文件。", "乜都冇匯入：請改好錯誤再上載過個檔案。",
        "啥物攏無匯入：請改好錯誤，才閣上傳檔案。"),
    "The file has no product rows.": T(
        "文件中没有商品数据行。", "個檔案冇貨品嘅行。", "檔案內底無商品的列。"),
    "Imported %(n)d product as a draft.": T(
        "已导入 %(n)d 个商品，保存为草稿。", "已經匯入咗 %(n)d 件貨品做草稿。",
        "已經匯入 %(n)d 項商品做草稿矣。"),
    "Skipped %(s)d product with errors.": T(
        "已跳过 %(s)d 个有错误的商品。", "跳過咗 %(s)d 件有錯嘅貨品。",
        "跳過 %(s)d 項有錯誤的商品。"),
    "Some rows are invalid; nothing was imported.": T(
        "部分行无效，未导入任何商品。", "有啲行唔啱，乜都冇匯入。", "有一寡列無效，啥物攏無匯入。"),
    "Select a valid tag family.": T(
        "请选择有效的标签类别。", "請揀有效嘅標籤類別。", "請揀有效的標籤類別。"),
    "Give a name of at most 30 characters.": T(
        "请填写名称，最多 30 个字。", "請填名稱，最多 30 個字。", "請填名稱，上濟 30 字。"),
    "Use lowercase letters, digits and hyphens.": T(
        "请使用小写字母、数字和连字符。", "請用細楷字母、數字同連字號。",
        "請用小寫字母、數字佮連字號。"),
    "A keyword has at most 30 characters.": T(
        "关键词最多 30 个字。", "關鍵字最多 30 個字。", "關鍵字上濟 30 字。"),
    "Import not found.": T("未找到该导入任务。", "搵唔到呢個匯入工作。", "揣無這个匯入工作。"),
    "This import seems to have stopped; upload the file again.": T(
        "该导入任务似乎已中断，请重新上传文件。", "呢個匯入好似停咗，請再上載過個檔案。",
        "這个匯入敢若停去矣，請閣上傳一擺檔案。"),
    "Category not found.": T("未找到该类目。", "搵唔到呢個類目。", "揣無這个類目。"),
    "Choose xlsx or csv.": T(
        "请选择 xlsx 或 csv。", "請揀 xlsx 或者 csv。", "請揀 xlsx 抑是 csv。"),
    "Unknown field.": T("未知字段。", "唔識呢個欄位。", "毋捌這个欄位。"),
    "Choose a category.": T("请选择类目。", "請揀類目。", "請揀類目。"),
    "This category is no longer in use.": T(
        "该类目已停用。", "呢個類目已經停用咗。", "這个類目已經停用矣。"),
    "Choose a place of origin.": T("请选择产地。", "請揀產地。", "請揀產地。"),
    "Give the attributes as name/value pairs.": T(
        "请以“名称/值”的形式填写属性。", "請用「名稱／值」嘅形式填屬性。",
        "請用「名稱／值」的形式填屬性。"),
    "Give a list of name/value pairs.": T(
        "请填写“名称/值”列表。", "請填一串「名稱／值」。", "請填一串「名稱／值」。"),
    "Give a name and a value.": T("请填写名称和值。", "請填名同值。", "請填名佮值。"),
    "At least %(n)d characters.": T("至少 %(n)d 个字。", "最少 %(n)d 個字。", "上少 %(n)d 字。"),
    "Enter the price in fen as a whole number.": T(
        "请以“分”为单位输入整数价格。", "請以「分」做單位輸入整數價錢。",
        "請用「分」做單位輸入整數價數。"),
    "At most %(n)d gallery images.": T(
        "商品图片最多 %(n)d 张。", "貨品相最多 %(n)d 張。", "商品相片上濟 %(n)d 張。"),
    "Image not found.": T("未找到该图片。", "搵唔到呢張圖。", "揣無這張圖。"),
    "The expiry date must be after the issue date.": T(
        "到期日期必须晚于签发日期。", "到期日一定要喺簽發日期之後。", "到期日愛佇簽發日期以後。"),
    # --- Publishing and review (catalog) ---
    "publish": T("发布", "發佈", "發布"),
    "put on sale": T("上架", "上架", "上架"),
    "take off sale": T("下架", "落架", "下架"),
    "take down": T("强制下架", "強制落架", "強制下架"),
    "restore": T("恢复", "恢復", "恢復"),
    "Your shop is %(state)s; its products cannot go on sale.": T(
        "您的店铺%(state)s，商品暂不能上架。", "你間舖頭%(state)s，啲貨品暫時上唔到架。",
        "你的店頭%(state)s，商品暫時袂當上架。"),
    "Set a price.": T("请设置价格。", "請設定價錢。", "請設定價數。"),
    "Missing document: %(kind)s (current, for this product).": T(
        "缺少资料：%(kind)s（须为本商品的有效资料）。",
        "欠文件：%(kind)s（要係呢件貨品仲有效嘅）。", "欠文件：%(kind)s（愛是這項商品猶有效的）。"),
    "Missing shop qualification: %(kind)s (verified and current).": T(
        "缺少店铺资质：%(kind)s（须已核验且在有效期内）。",
        "舖頭欠資質：%(kind)s（要核實咗兼仲有效）。", "店頭欠資質：%(kind)s（愛核對過閣猶有效）。"),
    "No active SKU: generate the SKUs first.": T(
        "没有启用的 SKU，请先生成 SKU。", "冇啟用緊嘅 SKU：請先生成 SKU。",
        "無啟用的 SKU：請先產生 SKU。"),
    "The SKUs no longer match the spec values; generate them again.": T(
        "SKU 与规格值已不一致，请重新生成。", "SKU 同規格值已經對唔上，請重新生成。",
        "SKU 佮規格值已經對袂著，請重新產生。"),
    "suspended": T("已暂停营业", "暫停咗營業", "暫停營業矣"),
    "not open yet": T("尚未开业", "仲未開張", "猶未開張"),
    "under review": T("正在审核中", "審緊", "當咧審核"),
    "not approved": T("未通过审核", "審核唔通過", "審核無通過"),
    "The product cannot go on sale yet: %(missing)s": T(
        "该商品暂不能上架：%(missing)s", "呢件貨品暫時上唔到架：%(missing)s",
        "這項商品暫時袂當上架：%(missing)s"),
    "Cannot %(action)s a product that is %(state)s.": T(
        "“%(state)s”状态的商品无法%(action)s。", "「%(state)s」嘅貨品冇辦法%(action)s。",
        "「%(state)s」的商品無法度%(action)s。"),
    # --- Category schemas (catalog) ---
    "Certificate of origin": T("产地证明", "產地證明", "產地證明"),
    "Organic certificate": T("有机产品认证证书", "有機認證證書", "有機認證證書"),
    "Green food certificate": T("绿色食品证书", "綠色食品證書", "綠色食品證書"),
    "Other document": T("其他资料", "其他文件", "其他文件"),
    "Use lowercase letters, digits and single hyphens (at most 60).": T(
        "请使用小写字母、数字和单个连字符（最多 60 位）。",
        "請用細楷字母、數字同單個連字號（最多 60 個）。",
        "請用小寫字母、數字佮單一个連字號（上濟 60 个）。"),
    "This slug is already used by another category.": T(
        "该 URL 别名已被其他类目使用。", "呢個網址代號已經俾另一個類目用咗。",
        "這个網址代號已經予別的類目用去矣。"),
    "Choose an existing category.": T(
        "请选择已有的类目。", "請揀一個已經有嘅類目。", "請揀一个已經有的類目。"),
    "A category cannot be placed under itself or its subcategories.": T(
        "类目不能放在自身或其子类目之下。", "類目唔可以放喺自己或者自己嘅子類目下面。",
        "類目袂使囥佇家己抑是家己的子類目下跤。"),
    "Unknown kind: %(kinds)s": T(
        "未知的类型：%(kinds)s", "唔識嘅類型：%(kinds)s", "毋捌的類型：%(kinds)s"),
    "Attribute not found.": T("未找到该属性。", "搵唔到呢個屬性。", "揣無這个屬性。"),
    "Use lowercase letters, digits and underscores, starting with a letter (at most 40).": T(
        "请使用小写字母、数字和下划线，以字母开头（最多 40 位）。",
        "請用細楷字母、數字同底線，要以字母開頭（最多 40 個）。",
        "請用小寫字母、數字佮底線，愛用字母開頭（上濟 40 个）。"),
    "This category already has an attribute with this code.": T(
        "该类目已有使用此代码的属性。", "呢個類目已經有用呢個代碼嘅屬性。",
        "這个類目已經有用這个代碼的屬性矣。"),
    "Only numbers have a unit.": T(
        "只有数字类型才有单位。", "淨係數字先有單位。", "干焦數字才有單位。"),
    "Only choice, multiple-choice and text attributes can be spec axes.": T(
        "只有单选、多选和文本属性可以作为规格项。", "淨係單選、多選同文字屬性先可以做規格項。",
        "干焦單選、多選佮文字屬性才會當做規格項。"),
    "Only choice attributes and text spec axes have choices.": T(
        "只有选择类属性和文本规格项才有可选值。", "淨係選擇類屬性同文字規格項先有選項。",
        "干焦選擇類屬性佮文字規格項才有選項。"),
    "A file cannot be used as a filter.": T(
        "文件类型不能用作筛选条件。", "檔案唔可以用嚟篩選。", "檔案袂當用來篩選。"),
    "Products already use this attribute; its code and type cannot change.": T(
        "已有商品使用该属性，不能修改其代码和类型。", "已經有貨品用緊呢個屬性，代碼同類型改唔到。",
        "已經有商品咧用這个屬性，代碼佮類型袂當改。"),
    "Give the choices as a list.": T(
        "请以列表形式填写可选值。", "請用清單形式填選項。", "請用清單的形式填選項。"),
    "Give at least one choice.": T(
        "请至少填写一个可选值。", "最少要填一個選項。", "上少愛填一个選項。"),
    "At most %(n)d choices of %(m)d characters each.": T(
        "最多 %(n)d 个可选值，每个不超过 %(m)d 个字。",
        "最多 %(n)d 個選項，每個唔超過 %(m)d 個字。", "上濟 %(n)d 个選項，逐个上濟 %(m)d 字。"),
    "Enter a whole number from 0.": T(
        "请输入不小于 0 的整数。", "請輸入 0 或以上嘅整數。", "請輸入 0 以上的整數。"),
    # --- Storefront search (catalog) ---
    "Enter a page number from 1.": T(
        "请输入不小于 1 的页码。", "請輸入 1 或以上嘅頁數。", "請輸入 1 以上的頁數。"),
    "Enter a page size from 1 to %(n)d.": T(
        "每页条数须在 1 到 %(n)d 之间。", "每頁數量要喺 1 至 %(n)d 之間。",
        "逐頁的數量愛佇 1 到 %(n)d 之間。"),
    "Enter a price of 0 or more.": T(
        "请输入不小于 0 的价格。", "請輸入 0 或以上嘅價錢。", "請輸入 0 以上的價數。"),
    "The highest price is below the lowest.": T(
        "最高价低于最低价。", "最高價平過最低價。", "上懸的價數比上低的較俗。"),
    "Please correct the search.": T("请修改搜索条件。", "請改下搜尋條件。", "請改一下搜揣條件。"),
    "No such category.": T("没有这个分类。", "冇呢個分類。", "無這个分類。"),
    # --- SKUs and tiers (catalog) ---
    "Give the values of %(name)s first.": T(
        "请先填写%(name)s的值。", "請先填%(name)s嘅值。", "請先填%(name)s的值。"),
    "Some spec values are missing.": T(
        "部分规格值未填写。", "有啲規格值未填。", "有一寡規格值猶未填。"),
    "These spec values make %(n)d SKUs; at most %(max)d are allowed per product.": T(
        "这些规格值将生成 %(n)d 个 SKU，每个商品最多允许 %(max)d 个。",
        "呢啲規格值會生成 %(n)d 個 SKU；每件貨品最多只可以有 %(max)d 個。",
        "這寡規格值會產生 %(n)d 个 SKU；一項商品上濟干焦會使有 %(max)d 个。"),
    "SKU not found.": T("未找到该 SKU。", "搵唔到呢個 SKU。", "揣無這个 SKU。"),
    "This SKU code was just taken; please try again.": T(
        "该 SKU 编码刚被占用，请重试。", "呢個 SKU 編號啱啱俾人用咗，請再試。",
        "這个 SKU 編號拄才予人用去矣，請閣試一擺。"),
    "Another of your SKUs already has this code.": T(
        "您的其他 SKU 已在使用此编码。", "你另一個 SKU 已經用咗呢個編號。",
        "你另外一个 SKU 已經用這个編號矣。"),
    "Tier prices must not exceed the SKU price; change them first.": T(
        "阶梯价不能高于 SKU 价格，请先修改阶梯价。", "階梯價唔可以貴過 SKU 價錢，請先改好階梯價。",
        "階梯價袂使比 SKU 價數較貴，請先改階梯價。"),
    "A product on sale needs at least one active SKU; take it off sale first.": T(
        "在售商品至少需要一个启用的 SKU，请先下架。",
        "發售緊嘅貨品最少要有一個啟用嘅 SKU；請先落架。",
        "咧賣的商品上少愛有一个啟用的 SKU；請先下架。"),
    "Give a quantity and a unit price.": T(
        "请填写数量和单价。", "請填數量同單價。", "請填數量佮單價。"),
    "Quantities must rise from tier to tier.": T(
        "各阶梯的数量须逐级递增。", "每級階梯嘅數量要一級比一級多。",
        "逐級階梯的數量愛一級比一級較濟。"),
    "The unit price must fall as the quantity rises.": T(
        "单价须随数量增加而递减。", "數量越多，單價要越平。", "數量愈濟，單價愛愈俗。"),
    "Please correct the tier prices.": T("请修改阶梯价。", "請改好階梯價。", "請改好階梯價。"),
    "Enter a whole number of at least %(n)d.": T(
        "请输入不小于 %(n)d 的整数。", "請輸入 %(n)d 或以上嘅整數。", "請輸入 %(n)d 以上的整數。"),
    # --- Tags (catalog) ---
    "Tag not found.": T("未找到该标签。", "搵唔到呢個標籤。", "揣無這个標籤。"),
    "%(tag)s is a compliance claim: %(needed)s": T(
        "“%(tag)s”属于合规声明：%(needed)s", "「%(tag)s」係合規聲明：%(needed)s",
        "「%(tag)s」是合規聲明：%(needed)s"),
    "it needs your shop's verified, current SC food production licence.": T(
        "店铺须持有已核验且在有效期内的 SC 食品生产许可证。",
        "你間舖要有核實咗兼仲有效嘅 SC 食品生產許可證。",
        "你的店頭愛有核對過閣猶有效的 SC 食品生產許可證。"),
    "it needs a CCC certificate for the shop or the product.": T(
        "店铺或商品须具备 3C 认证证书。", "舖頭或者貨品要有 3C 認證證書。",
        "店頭抑是商品愛有 3C 認證證書。"),
    "mark the product organic or upload an organic certificate.": T(
        "请将商品标记为有机，或上传有机认证证书。", "請將貨品標做有機，或者上載有機認證證書。",
        "請共商品標做有機，抑是上傳有機認證證書。"),
    "upload a green food certificate for the product.": T(
        "请为该商品上传绿色食品证书。", "請幫呢件貨品上載綠色食品證書。",
        "請共這項商品上傳綠色食品證書。"),
    "only the platform can confirm this tag.": T(
        "该标签只能由平台确认。", "呢個標籤淨係平台先可以確認。", "這个標籤干焦平台才會當確認。"),
    # --- Government supervision (catalog) ---
    "Product taken down.": T("商品已强制下架。", "貨品已經強制落架。", "商品已經強制下架矣。"),
    "Taken down: %(reason)s": T(
        "已强制下架：%(reason)s", "已經強制落架：%(reason)s", "已經強制下架：%(reason)s"),
    "Take down": T("强制下架", "強制落架", "強制下架"),
    "Reason (shown to the merchant)": T(
        "原因（商家可见）", "原因（商家睇得到）", "原因（商家看會著）"),
    "Product or merchant": T("商品或商家", "貨品或者商家", "商品抑是商家"),
    "Platform operators restore products after the merchant has put things right.": T(
        "商家整改完成后，由平台运营人员恢复商品。", "商家改正咗之後，平台營運同事會恢復貨品。",
        "商家改好了後，平台營運人員會共商品恢復。"),
    # --- Import pages (catalog) ---
    "Progress": T("进度", "進度", "進度"),
    "%(n)s row": T("%(n)s 行", "%(n)s 行", "%(n)s 列"),
    "Read %(done)s of about %(total)s rows": T(
        "已读取 %(done)s 行，共约 %(total)s 行", "讀咗 %(done)s 行，大約有 %(total)s 行",
        "讀 %(done)s 列矣，大約有 %(total)s 列"),
    "Checked %(done)s of %(total)s rows": T(
        "已校验 %(done)s 行，共 %(total)s 行", "檢查咗 %(done)s 行，總共 %(total)s 行",
        "檢查 %(done)s 列矣，攏總 %(total)s 列"),
    "Wrote %(done)s of %(total)s rows": T(
        "已写入 %(done)s 行，共 %(total)s 行", "寫入咗 %(done)s 行，總共 %(total)s 行",
        "寫入 %(done)s 列矣，攏總 %(total)s 列"),
    "Suggested tags for %(done)s of %(total)s products": T(
        "已为 %(done)s 个商品推荐标签，共 %(total)s 个",
        "幫 %(done)s 件貨品建議咗標籤，總共 %(total)s 件",
        "共 %(done)s 項商品建議標籤矣，攏總 %(total)s 項"),
    "Waiting to start": T("等待开始", "等緊開始", "咧等開始"),
    "You may leave this page: the import goes on, and its result stays here.": T(
        "您可以离开此页面：导入会继续进行，结果将保留在这里。",
        "你可以走開呢頁：匯入會繼續，結果會留喺度。", "你會當離開這頁：匯入會繼續，結果會留佇遮。"),
    "Skipped products": T("已跳过的商品", "跳過咗嘅貨品", "跳過的商品"),
    "Tag suggestions": T("标签推荐", "標籤建議", "標籤建議"),
    "Skipped product numbers:": T("已跳过的商品编号：", "跳過咗嘅貨品編號：", "跳過的商品編號："),
    "See the drafts": T("查看草稿", "睇草稿", "看草稿"),
    "%(n)s error": T("%(n)s 个错误", "%(n)s 個錯誤", "%(n)s 个錯誤"),
    "Download the errors (CSV)": T(
        "下载错误列表（CSV）", "下載錯誤清單（CSV）", "下載錯誤清單（CSV）"),
    "Sheet": T("工作表", "工作表", "工作表"),
    "Row": T("行", "行", "列"),
    "Problem": T("问题", "問題", "問題"),
    "And %(n)s more error.": T("另有 %(n)s 个错误。", "仲有 %(n)s 個錯誤。", "閣有 %(n)s 个錯誤。"),
    "Upload a corrected file": T("上传修改后的文件", "上載改好嘅檔案", "上傳改好的檔案"),
    "Import / export": T("导入/导出", "匯入／匯出", "匯入／匯出"),
    "Upload products": T("上传商品", "上載貨品", "上傳商品"),
    "One row per SKU; rows with the same product number form one product. Every row is checked "
    "first; products are imported as drafts.": T(
        "每行一个 SKU，商品编号相同的行组成同一商品。所有行会先经过校验，商品以草稿形式导入。",
        "每行一個 SKU；貨品編號相同嘅行就係同一件貨品。每一行都會先檢查，貨品會以草稿匯入。",
        "一列一个 SKU；商品編號仝款的列是仝一項商品。逐列攏會先檢查，商品會用草稿匯入。"),
    "Upload and check": T("上传并校验", "上載同檢查", "上傳閣檢查"),
    "Templates": T("模板", "範本", "範本"),
    "Each category has its own columns: its attributes and spec axes.": T(
        "每个类目都有各自的列，即该类目的属性和规格项。",
        "每個類目都有自己嘅欄：即係佢嘅屬性同規格項。",
        "逐个類目攏有家己的欄：就是伊的屬性佮規格項。"),
    "No categories yet.": T("暂无类目。", "暫時未有類目。", "猶無類目。"),
    "Export": T("导出", "匯出", "匯出"),
    "All your products with their SKUs, one sheet per category, in the template's columns. The "
    "file can be imported again.": T(
        "导出您的全部商品及其 SKU，每个类目一张工作表，列与模板一致。该文件可再次导入。",
        "你所有貨品連埋 SKU，每個類目一張工作表，欄位同範本一樣。呢個檔案可以再匯入。",
        "你所有的商品佮 SKU，逐个類目一張工作表，欄位佮範本仝款。這个檔案會當閣匯入。"),
    "Download my catalogue (.xlsx)": T(
        "下载我的商品目录（.xlsx）", "下載我嘅貨品目錄（.xlsx）", "下載我的商品目錄（.xlsx）"),
    "Recent imports": T("最近导入", "最近匯入", "最近的匯入"),
    "No imports yet.": T("暂无导入记录。", "暫時未有匯入記錄。", "猶無匯入記錄。"),
    "Import": T("导入", "匯入", "匯入"),
    "Import only the valid rows": T("仅导入有效行", "淨係匯入有效嘅行", "干焦匯入有效的列"),
    # --- Merchant product pages (catalog) ---
    "Publishing checklist": T("发布检查清单", "發佈檢查清單", "發布檢查清單"),
    "Still missing before it can be published:": T(
        "发布前尚缺：", "發佈之前仲差：", "發布進前猶欠："),
    "Everything needed to publish is here.": T(
        "发布所需资料已齐全。", "發佈要嘅嘢齊晒。", "發布需要的攏齊矣。"),
    "Current images": T("当前图片", "而家嘅圖片", "這馬的圖片"),
    "No main image yet.": T("尚未设置主图。", "仲未有主圖。", "猶未有主圖。"),
    "Remove": T("移除", "移除", "提掉"),
    "Add images in the form above, then save.": T(
        "请在上方表单中添加图片，然后保存。", "喺上面個表格加圖片，然後儲存。",
        "佇頂懸的表格加圖片，才閣保存。"),
    "No image": T("暂无图片", "冇圖片", "無圖片"),
    "%(n)s SKU": T("%(n)s 个 SKU", "%(n)s 個 SKU", "%(n)s 个 SKU"),
    "Updated %(when)s": T("更新于 %(when)s", "%(when)s 更新", "%(when)s 更新"),
    "Sent for review: it goes on sale once approved.": T(
        "已提交审核，审核通过后即上架。", "已經交咗去審核，審核通過就會上架。",
        "已經送去審核矣，審核通過就會上架。"),
    "Edit": T("编辑", "編輯", "改"),
    "SKUs": T("SKU", "SKU", "SKU"),
    "Publish": T("发布", "發佈", "發布"),
    "Take off sale": T("下架", "落架", "下架"),
    "Tags": T("标签", "標籤", "標籤"),
    "from “%(kw)s”": T("来自“%(kw)s”", "嚟自「%(kw)s」", "對「%(kw)s」來的"),
    "Accept": T("采纳", "採用", "採用"),
    "No suggestions.": T("暂无推荐。", "暫時冇建議。", "猶無建議。"),
    "Suggest from name and description": T(
        "根据名称和详情推荐", "根據名稱同介紹建議", "照名稱佮介紹建議"),
    "No tags yet.": T("暂无标签。", "暫時未有標籤。", "猶無標籤。"),
    "Add": T("添加", "加", "加"),
    "New product": T("发布新商品", "新貨品", "新商品"),
    "First choose the category: it decides which attributes the product has.": T(
        "请先选择类目，类目决定了商品有哪些属性。", "請先揀類目：類目決定貨品有咩屬性。",
        "請先揀類目：類目決定商品有啥物屬性。"),
    "Category": T("类目", "類目", "類目"),
    "Reviewed": T("需审核", "要審核", "愛審核"),
    "No categories yet: the platform has not set them up.": T(
        "暂无类目：平台尚未设置。", "暫時未有類目：平台仲未設定。", "猶無類目：平台猶未設定。"),
    "Change": T("更改", "更改", "改"),
    "Basic information": T("基本信息", "基本資料", "基本資料"),
    "%(name)s attributes": T("%(name)s属性", "%(name)s屬性", "%(name)s屬性"),
    "* needed before the product can be published.": T(
        "* 为发布前必填项。", "* 係發佈之前一定要填嘅。", "* 是發布進前一定愛填的。"),
    "This category has no attributes.": T(
        "该类目没有属性。", "呢個類目冇屬性。", "這个類目無屬性。"),
    "Your own attributes": T("自定义属性", "自訂屬性", "自訂屬性"),
    "Anything else buyers should know, e.g. 包装 / 木箱.": T(
        "买家需要了解的其他信息，例如：包装 / 木箱。", "買家要知嘅其他嘢，例如：包装 / 木箱。",
        "買家愛知影的其他代誌，親像：包装 / 木箱。"),
    "Attribute name": T("属性名", "屬性名", "屬性名"),
    "Value": T("值", "值", "值"),
    "Add a row": T("添加一行", "加一行", "加一列"),
    "Images": T("图片", "圖片", "圖片"),
    "Save draft": T("保存草稿", "儲存草稿", "保存草稿"),
    "Save and publish": T("保存并发布", "儲存兼發佈", "保存閣發布"),
    "%(n)s active SKU": T("%(n)s 个启用的 SKU", "%(n)s 個啟用緊嘅 SKU", "%(n)s 个啟用的 SKU"),
    "Edit SKUs and prices": T("编辑 SKU 和价格", "編輯 SKU 同價錢", "改 SKU 佮價數"),
    "Compliance documents": T("合规资料", "合規文件", "合規文件"),
    "valid until %(date)s": T("有效期至 %(date)s", "有效期至 %(date)s", "有效到 %(date)s"),
    "Search by name": T("按名称搜索", "用名稱搵", "用名稱揣"),
    "No product matches.": T("没有符合条件的商品。", "冇貨品符合。", "無符合的商品。"),
    "No products yet.": T("暂无商品。", "暫時未有貨品。", "猶無商品。"),
    "Add the first one": T("添加第一个商品", "加第一件貨品", "加第一項商品"),
    # --- SKU matrix (catalog) ---
    "SKUs and prices": T("SKU 与价格", "SKU 同價錢", "SKU 佮價數"),
    "Spec values": T("规格值", "規格值", "規格值"),
    "none chosen": T("未选择", "未揀", "猶未揀"),
    "Choose the values in the product editor; each combination becomes one SKU. Existing SKUs "
    "keep their codes and prices; combinations no longer offered are deactivated.": T(
        "请在商品编辑页选择规格值，每种组合生成一个 SKU。已有 SKU 保留原编码和价格；"
        "不再提供的组合将被停用。",
        "請喺貨品編輯頁揀規格值，每個組合變成一個 SKU。已經有嘅 SKU 會保留編號同價錢；"
        "唔再提供嘅組合會停用。",
        "請佇商品編輯頁揀規格值，逐種組合變做一个 SKU。已經有的 SKU 會保留編號佮價數；"
        "無閣提供的組合會停用。"),
    "This category has no spec axes: the product has a single SKU.": T(
        "该类目没有规格项，商品只有一个 SKU。", "呢個類目冇規格項：貨品得一個 SKU。",
        "這个類目無規格項：商品干焦一个 SKU。"),
    "Generate SKUs from the spec values": T(
        "根据规格值生成 SKU", "按規格值生成 SKU", "照規格值產生 SKU"),
    "SKU": T("SKU", "SKU", "SKU"),
    "Wholesale tiers": T("批发阶梯价", "批發階梯價", "批發階梯價"),
    "From quantity": T("起批数量", "起批數量", "起批數量"),
    "Unit price (yuan)": T("单价（元）", "單價（元）", "單價（元）"),
    "Add a tier": T("添加阶梯", "加一級階梯", "加一級階梯"),
    "Tiers: from that many units up, each unit costs that price (e.g. from 10, ¥95.00). Prices "
    "must fall as the quantity rises.": T(
        "阶梯价：购买数量达到该数量起，每件按该价格计算（例如 10 件起 ¥95.00）。"
        "价格须随数量增加而递减。",
        "階梯價：買到嗰個數量或以上，每件就按嗰個價錢計（例如 10 件起 ¥95.00）。數量越多，"
        "價錢要越平。",
        "階梯價：買到彼个數量以上，逐件就照彼个價數算（親像 10 件起 ¥95.00）。數量愈濟，"
        "價數愛愈俗。"),
    "Save all SKUs": T("保存全部 SKU", "儲存全部 SKU", "保存全部 SKU"),
    "No SKUs yet: generate them from the spec values.": T(
        "暂无 SKU，请根据规格值生成。", "暫時未有 SKU：請按規格值生成。",
        "猶無 SKU：請照規格值產生。"),
    # --- Platform category and schema pages (catalog) ---
    "Options": T("选项", "選項", "選項"),
    "Saved.": T("已保存。", "儲存咗。", "保存好矣。"),
    "Remove “%(name)s” from the schema?": T(
        "确定从属性模板中移除“%(name)s”吗？", "確定要喺屬性表移除「%(name)s」？",
        "確定欲對屬性表提掉「%(name)s」？"),
    "Filter": T("可筛选", "可篩選", "會當篩選"),
    "Spec axis": T("规格项", "規格項", "規格項"),
    "position %(n)s": T("排序 %(n)s", "排序 %(n)s", "排第 %(n)s"),
    "Details": T("详情", "詳情", "詳細"),
    "merchant's own": T("商家自定义", "商家自訂", "商家自訂"),
    "Reason for rejecting": T("驳回原因", "退回原因", "退件原因"),
    "Reason for restoring": T("恢复原因", "恢復原因", "恢復原因"),
    "Restore (off sale)": T("恢复（下架状态）", "恢復（落架狀態）", "恢復（下架狀態）"),
    "Attributes of %(name)s": T("%(name)s的属性", "%(name)s嘅屬性", "%(name)s的屬性"),
    "Attribute “%(name)s” added.": T(
        "已添加属性“%(name)s”。", "加咗屬性「%(name)s」。", "屬性「%(name)s」加好矣。"),
    "No attributes of its own yet.": T(
        "暂无自有属性。", "暫時未有自己嘅屬性。", "猶無家己的屬性。"),
    "Add an attribute": T("添加属性", "加屬性", "加屬性"),
    "Add attribute": T("添加属性", "加屬性", "加屬性"),
    "%(name)s schema": T("%(name)s属性模板", "%(name)s屬性表", "%(name)s屬性表"),
    "Category tree": T("类目树", "類目樹", "類目樹"),
    "Inactive": T("已停用", "停用咗", "停用矣"),
    "Documents": T("需资料", "要文件", "愛文件"),
    "Schema (%(n)s)": T("属性模板（%(n)s）", "屬性表（%(n)s）", "屬性表（%(n)s）"),
    "Add a category": T("添加类目", "加類目", "加類目"),
    "Attribute schema": T("属性模板", "屬性表", "屬性表"),
    "Edit category": T("编辑类目", "編輯類目", "改類目"),
    "Subcategories inherit every attribute here. A subcategory may redefine an inherited "
    "attribute by adding one with the same code.": T(
        "子类目会继承这里的全部属性。子类目可添加同代码的属性来重新定义继承的属性。",
        "子類目會繼承呢度全部屬性。子類目可以加一個同代碼嘅屬性，重新定義繼承落嚟嘅屬性。",
        "子類目會繼承遮的所有屬性。子類目會當加一个仝代碼的屬性，重新定義繼承落來的屬性。"),
    "Inherited attributes": T("继承的属性", "繼承嘅屬性", "繼承的屬性"),
    "inherited from %(name)s": T("继承自%(name)s", "由%(name)s繼承", "對%(name)s繼承"),
    "None: this is a top-level category or its parents have no attributes.": T(
        "无：这是一级类目，或其上级类目没有属性。",
        "冇：呢個係最頂層類目，或者佢嘅上層類目冇屬性。",
        "無：這是上頂層的類目，抑是伊頂層的類目無屬性。"),
    # --- Storefront listing and product page (catalog) ---
    "%(n)s sold": T("已售 %(n)s", "賣咗 %(n)s", "賣出 %(n)s"),
    "Any": T("不限", "唔限", "無限"),
    "Price": T("价格", "價錢", "價數"),
    "Lowest ¥": T("最低 ¥", "最平 ¥", "上俗 ¥"),
    "Lowest price (yuan)": T("最低价（元）", "最低價（元）", "上俗價（元）"),
    "Highest ¥": T("最高 ¥", "最貴 ¥", "上貴 ¥"),
    "Highest price (yuan)": T("最高价（元）", "最高價（元）", "上貴價（元）"),
    "Reset": T("重置", "重設", "重設"),
    "Show results": T("查看结果", "睇結果", "看結果"),
    "storefront\x04Filter": T("筛选", "篩選", "篩選"),
    "%(n)s product": T("%(n)s 件商品", "%(n)s 件貨品", "%(n)s 項商品"),
    "Sub-categories": T("子分类", "子分類", "子分類"),
    "Filters in use": T("已选条件", "揀咗嘅篩選", "揀的篩選"),
    "Remove this filter": T("移除此筛选条件", "移除呢個篩選", "提掉這个篩選"),
    "Clear all": T("清空", "清除晒", "攏清掉"),
    "Nothing found for “%(q)s”.": T(
        "没有找到与“%(q)s”相关的商品。", "搵唔到同「%(q)s」有關嘅貨品。",
        "揣無佮「%(q)s」有關係的商品。"),
    "No products here yet.": T("这里暂无商品。", "呢度暫時未有貨品。", "遮猶無商品。"),
    "Try removing a filter.": T("试试减少筛选条件。", "試下移除一個篩選。", "試看覓提掉一个篩選。"),
    "Try fewer words, or type the pinyin.": T(
        "试试减少关键词，或输入拼音。", "試下少打幾個字，或者打拼音。",
        "試看覓減拍幾字，抑是拍拼音。"),
    "All categories": T("全部分类", "全部分類", "所有分類"),
    "Breadcrumb": T("面包屑导航", "導覽路徑", "導覽路徑"),
    "Sort by": T("排序方式", "排序方式", "排序方式"),
    "Photos": T("商品图片", "貨品相", "商品相片"),
    "%(n)s photo, swipe to see more": T(
        "共 %(n)s 张图片，左右滑动查看更多", "共 %(n)s 張相，左右掃嚟睇更多",
        "攏總 %(n)s 張相片，倒正滑看閣較濟"),
    "from %(price)s": T("%(price)s 起", "%(price)s 起", "%(price)s 起"),
    "Choose a spec": T("选择规格", "揀規格", "揀規格"),
    "≥{n} %(unit)s: {price} each": T(
        "≥{n}%(unit)s：单价 {price}", "≥{n}%(unit)s：每件 {price}", "≥{n}%(unit)s：逐件 {price}"),
    "Not available in this combination": T("该组合暂无货", "呢個組合冇貨", "這个組合無貨"),
    "Spec": T("规格", "規格", "規格"),
    "Wholesale": T("批发", "批發", "批發"),
    "≥%(n)s %(unit)s: %(price)s": T(
        "≥%(n)s%(unit)s：%(price)s", "≥%(n)s%(unit)s：%(price)s", "≥%(n)s%(unit)s：%(price)s"),
    "Visit shop": T("进店逛逛", "入舖睇睇", "入店看覓"),
    "Verified licences": T("已核验证照", "已核實牌照", "已經核對的執照"),
    # --- Console views (catalog) ---
    "Not published. Still missing:": T("未发布，尚缺：", "未發佈，仲差：", "猶未發布，猶欠："),
    "Give the reason for taking it down.": T(
        "请填写下架原因。", "請講落架原因。", "請寫下架原因。"),
    "File (.xlsx or .csv)": T(
        "文件（.xlsx 或 .csv）", "檔案（.xlsx 或者 .csv）", "檔案（.xlsx 抑是 .csv）"),
    "Products with any invalid row are skipped whole. Otherwise nothing is imported while the "
    "file has errors.": T(
        "含有无效行的商品将整体跳过。若不勾选，只要文件有错误就不会导入任何商品。",
        "有任何一行唔啱嘅貨品會成件跳過。如果唔剔，個檔案有錯就乜都唔會匯入。",
        "有任何一列無效的商品會規項跳過。若無勾，檔案有錯就啥物攏袂匯入。"),
    "From the file (template or export)": T(
        "按文件识别（模板或导出文件）", "跟檔案（範本或者匯出檔）", "照檔案（範本抑是匯出檔）"),
    "Cell": T("单元格", "儲存格", "儲存格"),
    "Saved, but not published: %(why)s": T(
        "已保存，但未发布：%(why)s", "儲存咗，但係未發佈：%(why)s",
        "保存好矣，毋過猶未發布：%(why)s"),
    "Saved and sent for review.": T(
        "已保存并提交审核。", "儲存咗，交咗去審核。", "保存好矣，嘛送去審核矣。"),
    "Saved and put on sale.": T("已保存并上架。", "儲存咗，已經上架。", "保存好矣，嘛上架矣。"),
    "Nothing was saved: %(n)d SKU(s) need correcting.": T(
        "未保存：有 %(n)d 个 SKU 需要修改。", "乜都冇儲存：有 %(n)d 個 SKU 要改。",
        "啥物攏無保存：有 %(n)d 个 SKU 愛改。"),
    "%(n)d SKU(s) saved.": T(
        "已保存 %(n)d 个 SKU。", "儲存咗 %(n)d 個 SKU。", "保存 %(n)d 个 SKU 矣。"),
    "Two SKUs have this code.": T(
        "有两个 SKU 使用了此编码。", "有兩個 SKU 用咗呢個編號。", "有兩个 SKU 用這个編號。"),
    "%(n)d SKU(s) from the spec values.": T(
        "已根据规格值生成 %(n)d 个 SKU。", "按規格值生成咗 %(n)d 個 SKU。",
        "照規格值產生 %(n)d 个 SKU 矣。"),
    "Tag added.": T("标签已添加。", "加咗標籤。", "標籤加好矣。"),
    "Choose a tag from the list.": T(
        "请从列表中选择标签。", "請喺清單度揀標籤。", "請對清單揀標籤。"),
    "Category “%(name)s” added.": T(
        "已添加类目“%(name)s”。", "加咗類目「%(name)s」。", "類目「%(name)s」加好矣。"),
    "Category saved.": T("类目已保存。", "類目儲存咗。", "類目保存好矣。"),
    "Attribute saved.": T("属性已保存。", "屬性儲存咗。", "屬性保存好矣。"),
    "Attribute removed.": T("属性已移除。", "屬性移除咗。", "屬性提掉矣。"),
    "Best match": T("综合排序", "最相關", "上相關"),
    "Best selling": T("销量优先", "最好賣", "上好賣"),
    "Price, low to high": T("价格从低到高", "價錢由低至高", "價數對低到懸"),
    "Price, high to low": T("价格从高到低", "價錢由高至低", "價數對懸到低"),
    "Newest": T("最新上架", "最新", "上新的"),
    "%(low)s and up": T("%(low)s 以上", "%(low)s 或以上", "%(low)s 以上"),
    "Origin: %(name)s": T("产地：%(name)s", "產地：%(name)s", "產地：%(name)s"),
    "Search: %(q)s": T("搜索：%(q)s", "搵：%(q)s", "揣：%(q)s"),
    "All products": T("全部商品", "全部貨品", "所有商品"),
    # --- Stock and warehouses (inventory) ---
    "You have no approved shop.": T(
        "您还没有通过审核的店铺。", "你未有審核通過嘅舖頭。", "你猶無審核通過的店頭。"),
    "No such warehouse.": T("没有该仓库。", "冇呢個貨倉。", "無這間倉庫。"),
    "Change (+/-)": T("增减数量（+/-）", "加減數量（+/-）", "加減數量（+/-）"),
    "New count": T("盘点后数量", "點貨後數量", "點貨了後的數量"),
    "Give either a change or a new count.": T(
        "请填写增减数量或盘点后数量（二选一）。", "請填加減數量或者點貨後數量（揀一樣）。",
        "請填加減數量抑是點貨了後的數量（揀一項）。"),
    "Merchant warehouse": T("商家仓", "商家貨倉", "商家倉庫"),
    "Central warehouse": T("中心仓", "中央貨倉", "中心倉庫"),
    "Front warehouse": T("前置仓", "前置貨倉", "前置倉庫"),
    "address": T("地址", "地址", "地址"),
    "warehouse": T("仓库", "貨倉", "倉庫"),
    "on hand": T("在库", "現貨", "現貨"),
    "reserved": T("占用", "預留", "保留"),
    "Adjustment": T("库存调整", "存貨調整", "庫存調整"),
    "Reserved": T("下单预占", "落單預留", "落單保留"),
    "Released": T("已释放", "釋放咗", "放出來矣"),
    "Shipped out": T("发货出库", "出貨", "出貨"),
    "Held": T("预占中", "預留緊", "保留中"),
    "Deducted": T("已扣减", "扣咗", "扣掉矣"),
    "Stock": T("库存", "存貨", "庫存"),
    "Main warehouse": T("主仓", "主貨倉", "主倉庫"),
    "Give the warehouse a name (≤ 60).": T(
        "请填写仓库名称（不超过 60 个字）。", "請幫貨倉改個名（唔超過 60 個字）。",
        "請共倉庫號一个名（上濟 60 字）。"),
    "No such SKU.": T("没有该 SKU。", "冇呢個 SKU。", "無這个 SKU。"),
    "No such warehouse or SKU.": T(
        "没有该仓库或 SKU。", "冇呢個貨倉或者 SKU。", "無這間倉庫抑是 SKU。"),
    "Say why the stock changes.": T(
        "请填写库存变动原因。", "請講存貨點解有變。", "請講庫存是按怎變動。"),
    "Stock cannot be negative.": T("库存不能为负数。", "存貨唔可以係負數。", "庫存袂使是負數。"),
    "Only %(free)d can be removed: %(reserved)d are reserved for orders.": T(
        "最多只能减少 %(free)d 件：另有 %(reserved)d 件已被订单占用。",
        "最多只可以減 %(free)d 件：有 %(reserved)d 件已經預留咗俾訂單。",
        "上濟干焦會當減 %(free)d 件：有 %(reserved)d 件已經保留予訂單矣。"),
    "Too large a reduction.": T("减少数量过大。", "減得太多。", "減傷濟矣。"),
    "Quantities must be whole numbers above zero.": T(
        "数量必须是大于 0 的整数。", "數量一定要係大過 0 嘅整數。", "數量愛是比 0 較大的整數。"),
    "Enter a whole number above 0.": T(
        "请输入大于 0 的整数。", "請輸入大過 0 嘅整數。", "請輸入比 0 較大的整數。"),
    "Not enough stock for %(count)d item(s).": T(
        "有 %(count)d 件商品库存不足。", "有 %(count)d 件貨品存貨唔夠。",
        "有 %(count)d 項商品庫存無夠。"),
    "Stock records are inconsistent; nothing was changed.": T(
        "库存记录不一致，未做任何修改。", "存貨記錄對唔上，乜都冇改。",
        "庫存記錄對袂著，啥物攏無改。"),
    "available": T("可用", "可用", "會當用"),
    "Apply": T("确定", "確定", "確定"),
    "Product name or SKU code": T(
        "商品名称或 SKU 编码", "貨品名稱或者 SKU 編號", "商品名稱抑是 SKU 編號"),
    "%(n)s warehouse": T("%(n)s 个仓库", "%(n)s 個貨倉", "%(n)s 間倉庫"),
    "No stock yet. Generate SKUs for a product, then add stock here.": T(
        "暂无库存。请先为商品生成 SKU，再在这里添加库存。",
        "暫時未有存貨。請先幫貨品生成 SKU，再喺度加存貨。",
        "猶無庫存。請先共商品產生 SKU，才閣佇遮加庫存。"),
    "Recent changes": T("最近变动", "最近嘅變動", "最近的變動"),
    "Time": T("时间", "時間", "時間"),
    "No changes yet.": T("暂无变动记录。", "暫時未有變動。", "猶無變動。"),
    # --- Orders, addresses and checkout (trade) ---
    "You have no shop yet.": T("您还没有店铺。", "你仲未有舖頭。", "你猶無店頭。"),
    "No such order.": T("没有该订单。", "冇呢張訂單。", "無這張訂單。"),
    "No such checkout.": T("没有该结算单。", "冇呢次結帳。", "無這擺結帳。"),
    "There is nothing to check out.": T("没有可结算的商品。", "冇嘢可以結帳。", "無物件會當結帳。"),
    "Add at least one item.": T("请至少添加一件商品。", "最少要加一件貨品。", "上少愛加一項商品。"),
    "The sandbox payment channel is switched off.": T(
        "沙箱支付通道已关闭。", "沙盒付款渠道已經閂咗。", "沙盒付款管道已經關掉矣。"),
    "Unknown order state.": T("未知的订单状态。", "唔識呢個訂單狀態。", "毋捌這个訂單狀態。"),
    "recipient": T("收货人", "收件人", "收件人"),
    "township": T("乡镇/街道", "鄉鎮／街道", "鄉鎮／街仔路"),
    "street address": T("详细地址", "詳細地址", "詳細地址"),
    "default": T("默认", "預設", "預設"),
    "Awaiting payment": T("待付款", "等緊俾錢", "等納錢"),
    "Paid": T("已付款", "俾咗錢", "納錢矣"),
    "Closed": T("已关闭", "閂咗", "關掉矣"),
    "Awaiting shipment": T("待发货", "等緊出貨", "等出貨"),
    "Shipped": T("已发货", "出咗貨", "出貨矣"),
    "Completed": T("已完成", "完成咗", "完成矣"),
    "Cancelled": T("已取消", "取消咗", "取消矣"),
    "Refunding": T("退款中", "退緊款", "當咧退錢"),
    "Refunded": T("已退款", "退咗款", "退錢矣"),
    "Express delivery": T("快递", "速遞", "宅配"),
    "Same-day local delivery": T("同城当日达", "同城即日送", "同城當日送"),
    "Next-day local delivery": T("同城次日达", "同城翌日送", "同城隔工送"),
    "Self-pickup": T("到店自提", "自取", "家己來提"),
    "Requested": T("已申请", "申請咗", "申請矣"),
    "Declined": T("已拒绝", "拒絕咗", "拒絕矣"),
    "Waiting for a quote": T("待报价", "等緊報價", "等報價"),
    "Quoted": T("已报价", "報咗價", "報價矣"),
    "Ordered": T("已下单", "落咗單", "落單矣"),
    "My quotes": T("我的询价", "我嘅詢價", "我的詢價"),
    "My samples": T("我的样品", "我嘅樣品", "我的樣品"),
    "Requests for quotation": T("询价单", "詢價", "詢價"),
    "Sample requests": T("样品申领", "樣品申請", "樣品申請"),
    "Trade terms": T("交易设置", "交易條款", "交易條件"),
    "My orders": T("我的订单", "我嘅訂單", "我的訂單"),
    "My addresses": T("收货地址", "我嘅地址", "我的地址"),
    "Orders to ship": T("待发货订单", "要出貨嘅訂單", "愛出貨的訂單"),
    "Self-pickup: no shipping fee": T("到店自提，免运费", "自取：唔使運費", "家己來提：免運費"),
    "Free shipping on orders from %(amount)s": T(
        "满 %(amount)s 包邮", "買滿 %(amount)s 免運費", "買到 %(amount)s 就免運費"),
    "Express shipping (%(kg)s kg)": T(
        "快递运费（%(kg)s kg）", "速遞運費（%(kg)s kg）", "宅配運費（%(kg)s kg）"),
    "Express shipping": T("快递运费", "速遞運費", "宅配運費"),
    "Enter a whole number from 1.": T(
        "请输入不小于 1 的整数。", "請輸入 1 或以上嘅整數。", "請輸入 1 以上的整數。"),
    "At most %(count)s different items.": T(
        "最多 %(count)s 种不同商品。", "最多 %(count)s 款唔同嘅貨品。",
        "上濟 %(count)s 款無仝的商品。"),
    "This shop is not open.": T("该店铺未营业。", "呢間舖頭冇開。", "這間店頭無開。"),
    "This item is off sale.": T("该商品已下架。", "呢件貨品已經落咗架。", "這項商品已經下架矣。"),
    "This item is no longer available.": T(
        "该商品已失效。", "呢件貨品已經冇得賣。", "這項商品已經無咧賣矣。"),
    "Quoted price": T("报价", "報價", "報價"),
    "Wholesale price (from %(quantity)s units)": T(
        "批发价（%(quantity)s 件起）", "批發價（%(quantity)s 件起）",
        "批發價（%(quantity)s 件起）"),
    "Sold out.": T("已售罄。", "賣晒。", "賣了矣。"),
    "Only %(count)s left.": T(
        "仅剩 %(count)s 件。", "淨係剩返 %(count)s 件。", "干焦賰 %(count)s 件。"),
    "%(item)s: %(problem)s": T(
        "%(item)s：%(problem)s", "%(item)s：%(problem)s", "%(item)s：%(problem)s"),
    "%(merchant)s does not offer local delivery to this address.": T(
        "%(merchant)s不支持同城配送到该地址。", "%(merchant)s唔提供同城送貨去呢個地址。",
        "%(merchant)s無提供同城送貨去這个地址。"),
    "Unknown delivery option.": T("未知的配送方式。", "唔識呢個送貨方式。", "毋捌這个送貨方式。"),
    "An item you chose no longer exists.": T(
        "您选择的某件商品已不存在。", "你揀嘅其中一件貨品已經冇咗。",
        "你揀的其中一項商品已經無去矣。"),
    "Enter the recipient's name (at most 30 characters).": T(
        "请填写收货人姓名（最多 30 个字）。", "請填收件人姓名（最多 30 個字）。",
        "請填收件人的名（上濟 30 字）。"),
    "Enter the street, building and door number (4 to 200 characters).": T(
        "请填写街道、楼栋和门牌号（4 至 200 个字）。", "請填街道、大廈同門牌（4 至 200 個字）。",
        "請填街路、大樓佮門牌（4 到 200 字）。"),
    "Choose a district of the region.": T(
        "请选择本地区的区县。", "請揀本地區嘅區縣。", "請揀本地區的區縣。"),
    "Choose a township of the chosen district.": T(
        "请选择所选区县下的乡镇/街道。", "請揀所選區縣入面嘅鄉鎮／街道。",
        "請揀所揀區縣內底的鄉鎮／街仔路。"),
    "No such address.": T("没有该地址。", "冇呢個地址。", "無這个地址。"),
    "You can keep at most %(n)d addresses; delete one first.": T(
        "最多可保存 %(n)d 个地址，请先删除一个。", "最多只可以存 %(n)d 個地址；請先刪咗一個。",
        "上濟干焦會當存 %(n)d 个地址；請先刪掉一个。"),
    "Too many addresses.": T("地址数量过多。", "地址太多。", "地址傷濟。"),
    "Enter a whole number from %(min)s to %(max)s.": T(
        "请输入 %(min)s 到 %(max)s 之间的整数。", "請輸入 %(min)s 至 %(max)s 之間嘅整數。",
        "請輸入 %(min)s 到 %(max)s 中間的整數。"),
    "This item does not exist.": T("该商品不存在。", "冇呢件貨品。", "無這項商品。"),
    "This item is not on sale.": T("该商品未在售。", "呢件貨品冇賣緊。", "這項商品無咧賣。"),
    "This item is sold out.": T("该商品已售罄。", "呢件貨品賣晒。", "這項商品賣了矣。"),
    "At most %(max)s of one item; you already have %(have)s.": T(
        "每件商品最多购买 %(max)s 件，购物车中已有 %(have)s 件。",
        "每件貨品最多買 %(max)s 件；你已經有 %(have)s 件。",
        "一項商品上濟買 %(max)s 件；你已經有 %(have)s 件矣。"),
    "Your cart holds at most %(max)s different items. Remove one first.": T(
        "购物车最多容纳 %(max)s 种不同商品，请先移除一件。",
        "購物車最多放 %(max)s 款唔同嘅貨品，請先移走一款。",
        "購物車上濟囥 %(max)s 款無仝的商品，請先提掉一款。"),
    "This item is not in your cart.": T(
        "该商品不在您的购物车中。", "呢件貨品唔喺你嘅購物車度。", "這項商品無佇你的購物車內底。"),
    "Only shoppers and enterprise buyers can place orders.": T(
        "只有消费者和企业采购商可以下单。", "淨係顧客同企業採購先可以落單。",
        "干焦人客佮企業採購才會當落單。"),
    "The form has expired; reload the page and submit again.": T(
        "表单已过期，请刷新页面后重新提交。", "表格已經過咗期，請重新載入頁面再提交。",
        "表格已經過期矣，請重新載入頁面才閣送出。"),
    "8 to 64 letters, digits or -_.:": T(
        "8 至 64 位字母、数字或 -_.:", "8 至 64 個字母、數字或者 -_.:",
        "8 到 64 个字母、數字抑是 -_.:"),
    "Too many items in one order.": T(
        "单笔订单商品过多。", "一張單入面嘅貨品太多。", "一張訂單內底的商品傷濟。"),
    "At most %(n)d lines.": T("最多 %(n)d 行。", "最多 %(n)d 行。", "上濟 %(n)d 項。"),
    "Quantities must be whole numbers from 1 to %(max)d.": T(
        "数量必须是 1 到 %(max)d 之间的整数。", "數量一定要係 1 至 %(max)d 之間嘅整數。",
        "數量愛是 1 到 %(max)d 中間的整數。"),
    "Enter the invoice title (2 to 100 characters).": T(
        "请填写发票抬头（2 至 100 个字）。", "請填發票抬頭（2 至 100 個字）。",
        "請填發票抬頭（2 到 100 字）。"),
    "A taxpayer number has 15 to 20 digits or capital letters.": T(
        "纳税人识别号为 15 至 20 位数字或大写字母。",
        "納稅人識別號係 15 至 20 位數字或者大楷字母。",
        "納稅人識別號是 15 到 20 位數字抑是大寫字母。"),
    "Please correct the invoice details.": T(
        "请修改发票信息。", "請改好發票資料。", "請改好發票資料。"),
    "Unknown merchant.": T("未知的商家。", "唔識呢個商家。", "毋捌這个商家。"),
    "Choose a delivery address.": T("请选择收货地址。", "請揀送貨地址。", "請揀送貨地址。"),
    "%(name)s is no longer on sale.": T(
        "%(name)s已下架。", "%(name)s已經落咗架。", "%(name)s已經下架矣。"),
    "Only %(n)d of %(name)s left.": T(
        "%(name)s仅剩 %(n)d 件。", "%(name)s淨係剩返 %(n)d 件。", "%(name)s干焦賰 %(n)d 件。"),
    "Choose a pickup point for %(merchant)s.": T(
        "请为%(merchant)s选择自提点。", "請幫%(merchant)s揀自取點。", "請共%(merchant)s揀自取點。"),
    "Choose a pickup point.": T("请选择自提点。", "請揀自取點。", "請揀自取點。"),
    "That pickup point is not available.": T(
        "该自提点不可用。", "嗰個自取點用唔到。", "彼个自取點袂當用。"),
    "At most 200 characters.": T("最多 200 个字。", "最多 200 個字。", "上濟 200 字。"),
    "Only enterprise buyers can have orders drop-shipped.": T(
        "只有企业采购商可以使用代发服务。", "淨係企業採購先可以用代發。",
        "干焦企業採購才會當用代發。"),
    "Not available for your account.": T(
        "您的账号无法使用此功能。", "你個帳戶用唔到呢個功能。", "你的帳號袂當用這个功能。"),
    "paid": T("付款", "俾錢", "納錢"),
    "shipped": T("发货", "出貨", "出貨"),
    "completed": T("完成", "完成", "完成"),
    "cancelled": T("取消", "取消", "取消"),
    "refunded": T("退款", "退款", "退錢"),
    "marked refunded": T("标记为已退款", "標記做已退款", "標做已經退錢"),
    "This order is “%(state)s”, so it cannot be %(action)s.": T(
        "该订单当前为“%(state)s”，无法%(action)s。",
        "呢張訂單而家係「%(state)s」，冇辦法%(action)s。",
        "這張訂單這馬是「%(state)s」，無法度%(action)s。"),
    "Please give a reason.": T("请填写原因。", "請講原因。", "請寫原因。"),
    "Tell the buyer why.": T("请告知买家原因。", "請話俾買家知點解。", "請共買家講原因。"),
    "The amount must be whole fen.": T(
        "金额必须精确到分。", "金額一定要係整數嘅分。", "金額愛是整數的分。"),
    "This payment cannot be accepted: the orders of checkout %(number)s were cancelled. The "
    "money will be refunded.": T(
        "无法接受此笔付款：结算单 %(number)s 的订单已取消，款项将原路退回。",
        "呢筆付款收唔到：結帳 %(number)s 嘅訂單已經取消咗，錢會退返俾你。",
        "這筆付款袂當收：結帳 %(number)s 的訂單已經取消矣，錢會退還予你。"),
    "The amount paid (%(paid)s fen) does not match the amount due (%(due)s fen).": T(
        "实付金额（%(paid)s 分）与应付金额（%(due)s 分）不符。",
        "俾咗嘅金額（%(paid)s 分）同應付金額（%(due)s 分）對唔上。",
        "納的金額（%(paid)s 分）佮應該納的金額（%(due)s 分）無合。"),
    "Does not match the checkout total.": T(
        "与结算总额不符。", "同結帳總數對唔上。", "佮結帳總額無合。"),
    "Choose a carrier.": T("请选择快递公司。", "請揀速遞公司。", "請揀貨運公司。"),
    "A tracking number has 8 to 30 letters or digits.": T(
        "快递单号为 8 至 30 位字母或数字。", "運單號碼係 8 至 30 個字母或者數字。",
        "貨運單號是 8 到 30 个字母抑是數字。"),
    # --- Trade terms and wholesale (trade) ---
    "Enter an amount of zero or more.": T(
        "请输入不小于 0 的金额。", "請輸入 0 或以上嘅金額。", "請輸入 0 以上的金額。"),
    "At most %(max)s.": T("最多 %(max)s。", "最多 %(max)s。", "上濟 %(max)s。"),
    "Give a list of district codes.": T(
        "请填写区县代码列表。", "請填一串區縣代碼。", "請填一串區縣代碼。"),
    "Not a district of this region: %(codes)s": T(
        "不属于本地区的区县：%(codes)s", "唔係本地區嘅區縣：%(codes)s",
        "毋是本地區的區縣：%(codes)s"),
    "Enter a whole number from 0 to %(max)s.": T(
        "请输入 0 到 %(max)s 之间的整数。", "請輸入 0 至 %(max)s 之間嘅整數。",
        "請輸入 0 到 %(max)s 中間的整數。"),
    "Choose yes or no.": T(
        "请选择“是”或“否”。", "請揀「係」或者「唔係」。", "請揀「是」抑是「毋是」。"),
    "Give district codes with their fee in fen.": T(
        "请填写区县代码及对应运费（分）。", "請填區縣代碼同埋對應嘅運費（分）。",
        "請填區縣代碼佮對應的運費（分）。"),
    "Choose the districts you deliver to yourself.": T(
        "请选择您自行配送的区县。", "請揀你自己送貨嘅區縣。", "請揀你家己送貨的區縣。"),
    "Required, at most %(max)s characters.": T(
        "必填，最多 %(max)s 个字。", "必填，最多 %(max)s 個字。", "愛填，上濟 %(max)s 字。"),
    "Choose a district of this region.": T(
        "请选择本地区的区县。", "請揀本地區嘅區縣。", "請揀本地區的區縣。"),
    "No such pickup point.": T("没有该自提点。", "冇呢個自取點。", "無這个自取點。"),
    "At most %(max)s characters.": T(
        "最多 %(max)s 个字。", "最多 %(max)s 個字。", "上濟 %(max)s 字。"),
    "Choose or enter a delivery address.": T(
        "请选择或填写收货地址。", "請揀或者填送貨地址。", "請揀抑是填送貨地址。"),
    "This product is not on sale.": T("该商品未在售。", "呢件貨品冇賣緊。", "這項商品無咧賣。"),
    "Not a spec of this product.": T(
        "不是该商品的规格。", "唔係呢件貨品嘅規格。", "毋是這項商品的規格。"),
    "%(merchant)s does not send samples.": T(
        "%(merchant)s不提供样品。", "%(merchant)s唔寄樣品。", "%(merchant)s無寄樣品。"),
    "You have already asked for a sample of this product.": T(
        "您已申领过该商品的样品。", "你已經申請過呢件貨品嘅樣品。",
        "你已經申請過這項商品的樣品矣。"),
    "No such sample request.": T("没有该样品申请。", "冇呢個樣品申請。", "無這个樣品申請。"),
    "This sample request was already %(state)s.": T(
        "该样品申请已处理（%(state)s）。", "呢個樣品申請已經處理咗（%(state)s）。",
        "這个樣品申請已經處理過矣（%(state)s）。"),
    "Enter a quantity from 1 to %(max)s.": T(
        "请输入 1 到 %(max)s 之间的数量。", "請輸入 1 至 %(max)s 嘅數量。",
        "請輸入 1 到 %(max)s 的數量。"),
    "No such request for quotation.": T("没有该询价单。", "冇呢個詢價。", "無這个詢價。"),
    "Cannot %(action)s: this request is %(state)s.": T(
        "该询价单当前为“%(state)s”，无法%(action)s。",
        "呢個詢價而家係「%(state)s」，冇辦法%(action)s。",
        "這个詢價這馬是「%(state)s」，無法度%(action)s。"),
    "Enter a unit price above zero.": T(
        "请输入大于 0 的单价。", "請輸入大過 0 嘅單價。", "請輸入比 0 較大的單價。"),
    "Enter the date the price is valid until.": T(
        "请填写报价有效期。", "請填價錢有效到幾時。", "請填價數有效到當時。"),
    "Must be in the future.": T("必须是将来的日期。", "一定要係之後嘅日子。", "愛是以後的日子。"),
    "At most %(days)s days ahead.": T(
        "最多 %(days)s 天以后。", "最多 %(days)s 日之後。", "上濟 %(days)s 工以後。"),
    "quote": T("报价", "報價", "報價"),
    "accept": T("接受报价", "接受報價", "接受報價"),
    "The merchant changed the quote; please review the new price.": T(
        "商家已修改报价，请确认新价格。", "商家改咗報價，請睇下新價錢。",
        "商家改報價矣，請看一下新的價數。"),
    "This quote has expired.": T("该报价已过期。", "呢個報價已經過咗期。", "這个報價已經過期矣。"),
    "Tell the buyer why you decline.": T(
        "请告知买家拒绝的原因。", "請話俾買家知點解拒絕。", "請共買家講是按怎拒絕。"),
    "decline": T("关闭", "閂", "關掉"),
    "This quote has already been turned into an order.": T(
        "该报价已转为订单。", "呢個報價已經轉咗做訂單。", "這个報價已經轉做訂單矣。"),
    "order": T("下单", "落單", "落單"),
    "This submit key was already used for another order.": T(
        "该提交标识已用于其他订单。", "呢個提交碼已經用咗喺另一張訂單。",
        "這个送出碼已經用佇別張訂單矣。"),
    # --- Cart (trade) ---
    "Quantity": T("数量", "數量", "數量"),
    "Add to cart": T("加入购物车", "加入購物車", "囥入購物車"),
    "Added. %(count)s item in your cart.": T(
        "已加入，购物车中共 %(count)s 件商品。", "加咗入去，購物車而家有 %(count)s 件貨品。",
        "加入去矣，購物車這馬有 %(count)s 項商品。"),
    "View cart": T("查看购物车", "睇購物車", "看購物車"),
    "Your cart is empty.": T("购物车是空的。", "購物車冇嘢。", "購物車是空的。"),
    "Go shopping": T("去逛逛", "去行下", "去踅踅咧"),
    "Items": T("商品金额", "貨品金額", "商品金額"),
    "Price breaks": T("批量优惠", "批量優惠", "大量買的優惠"),
    "Free": T("免运费", "免運費", "免運費"),
    "Shop total": T("店铺合计", "舖頭合計", "店頭合計"),
    "Remove or change the marked items to check out.": T(
        "请移除或修改标出的商品后再结算。", "請移走或者改好標咗嘅貨品先再結帳。",
        "請提掉抑是改好有標記的商品，才閣結帳。"),
    "Shipping is estimated for express delivery; choose delivery and address at checkout.": T(
        "运费按快递估算，配送方式和地址请在结算时选择。",
        "運費係按速遞估算；送貨方式同地址喺結帳嗰陣揀。",
        "運費是照宅配估的；送貨方式佮地址佇結帳的時陣揀。"),
    "Total": T("合计", "合共", "攏總"),
    "Saved %(amount)s": T("已省 %(amount)s", "慳咗 %(amount)s", "省 %(amount)s"),
    "Check out": T("去结算", "去結帳", "去結帳"),
    "Price changed from %(old)s to %(new)s since you added it": T(
        "加入购物车后价格已由 %(old)s 变为 %(new)s", "加入購物車之後價錢由 %(old)s 變咗 %(new)s",
        "加入購物車了後價數對 %(old)s 變做 %(new)s"),
    "Only %(count)s left": T("仅剩 %(count)s 件", "淨係剩返 %(count)s 件", "干焦賰 %(count)s 件"),
    "One less": T("减少一件", "減一件", "減一件"),
    "Quantity of %(name)s": T("%(name)s的数量", "%(name)s嘅數量", "%(name)s的數量"),
    "One more": T("增加一件", "加多一件", "加一件"),
    # --- Checkout (trade) ---
    "%(n)s item": T("%(n)s 件商品", "%(n)s 件貨品", "%(n)s 件商品"),
    "Price changed since you added it (was %(was)s)": T(
        "加入购物车后价格有变（原价 %(was)s）", "加入購物車之後價錢變咗（原本 %(was)s）",
        "加入購物車了後價數變矣（本底 %(was)s）"),
    "Delivery": T("配送方式", "送貨方式", "送貨方式"),
    "Pickup point": T("自提点", "自取點", "自取點"),
    "Subtotal": T("小计", "小計", "小計"),
    "Goods": T("商品总额", "貨品總額", "商品總額"),
    "Discounts": T("优惠", "優惠", "優待"),
    "Shipping": T("运费", "運費", "運費"),
    "Place order": T("提交订单", "落單", "落單"),
    "None / not sure": T("无/不确定", "冇／唔肯定", "無／無確定"),
    "Edit address": T("编辑地址", "編輯地址", "改地址"),
    "New address": T("新增地址", "新增地址", "新的地址"),
    "Recipient": T("收货人", "收件人", "收件人"),
    "Mobile": T("手机号", "手機號碼", "手機號碼"),
    "Choose…": T("请选择…", "請揀…", "請揀…"),
    "Township / street (optional)": T(
        "乡镇/街道（选填）", "鄉鎮／街道（可以唔填）", "鄉鎮／街仔路（會使免填）"),
    "Street address": T("详细地址", "詳細地址", "詳細地址"),
    "Road, building, door number": T("路名、楼栋、门牌号", "街名、大廈、門牌", "路名、大樓、門牌"),
    "Use as my default address": T("设为默认地址", "設做預設地址", "設做預設地址"),
    "Save address": T("保存地址", "儲存地址", "保存地址"),
    "Default": T("默认", "預設", "預設"),
    "Make default": T("设为默认", "設做預設", "設做預設"),
    "Delete": T("删除", "刪除", "刪掉"),
    "You have no address yet.": T("您还没有收货地址。", "你仲未有地址。", "你猶無地址。"),
    "Deliver to": T("收货地址", "送去", "送去"),
    "Add an address": T("添加地址", "加地址", "加地址"),
    "Invoice": T("发票", "發票", "發票"),
    "I need an invoice": T("我需要发票", "我要發票", "我欲愛發票"),
    "Invoice title (company or personal name)": T(
        "发票抬头（单位或个人名称）", "發票抬頭（公司或者個人名）", "發票抬頭（公司抑是個人的名）"),
    "Taxpayer number (companies)": T(
        "纳税人识别号（单位填写）", "納稅人識別號（公司填）", "納稅人識別號（公司填）"),
    "Drop-shipping": T("代发", "代發", "代發"),
    "The merchant ships straight to the address above (your customer), with your name as the "
    "sender.": T(
        "商家将直接发货到上方地址（您的客户），寄件人显示为您的名称。",
        "商家會直接寄去上面嘅地址（你嘅客），寄件人會寫你個名。",
        "商家會直接寄去頂懸的地址（你的人客），寄件人會寫你的名。"),
    "Ship to my customer for me": T("帮我发货给我的客户", "幫我寄俾我啲客", "替我寄予我的人客"),
    "Sender name on the parcel": T(
        "包裹上的寄件人姓名", "包裹上面嘅寄件人名", "包裹頂懸的寄件人名"),
    "Sender mobile": T("寄件人手机号", "寄件人手機號碼", "寄件人手機號碼"),
    "Hide prices from my customer": T(
        "不向我的客户显示价格", "唔俾我啲客睇到價錢", "莫予我的人客看著價數"),
    "Not every merchant in this order offers drop-shipping.": T(
        "本单中并非所有商家都提供代发服务。", "呢張單唔係每個商家都有代發。",
        "這張訂單毋是逐个商家攏有代發。"),
    "Note to the merchants": T("给商家留言", "俾商家嘅留言", "予商家的留言"),
    "Optional": T("选填", "可以唔填", "會使免填"),
    "Order placed": T("下单成功", "落咗單", "落單成功"),
    "Payment received": T("已收到付款", "收到錢喇", "錢收著矣"),
    "The merchants have been told to ship.": T(
        "已通知商家发货。", "已經通知咗商家出貨。", "已經通知商家出貨矣。"),
    "This checkout was closed": T("该结算单已关闭", "呢次結帳已經閂咗", "這擺結帳已經關掉矣"),
    "Its orders were cancelled, so there is nothing to pay.": T(
        "其中订单已取消，无需付款。", "啲訂單已經取消咗，唔使俾錢。", "訂單已經取消矣，免納錢。"),
    "Amount due": T("应付金额", "應付金額", "應該納的金額"),
    "Please pay by %(deadline)s; unpaid orders are cancelled after that.": T(
        "请在 %(deadline)s 前完成付款，逾期未付款的订单将自动取消。",
        "請喺 %(deadline)s 之前俾錢；過咗時間未俾錢嘅訂單會取消。",
        "請佇 %(deadline)s 進前納錢；過時猶未納錢的訂單會取消。"),
    "Pay (sandbox)": T("付款（沙箱）", "俾錢（沙盒）", "納錢（沙盒）"),
    "Sandbox channel for demos: no real money moves.": T(
        "演示用沙箱通道，不产生真实资金往来。", "示範用嘅沙盒渠道，唔會真係過錢。",
        "示範用的沙盒管道，袂真正過錢。"),
    "Online payment is not available yet.": T(
        "暂不支持在线支付。", "暫時未有網上付款。", "猶無網路付款。"),
    "Payment number": T("支付单号", "付款編號", "付款編號"),
    "%(n)s order": T("%(n)s 个订单", "%(n)s 張訂單", "%(n)s 張訂單"),
    # --- Order pages (trade) ---
    "Order %(number)s": T("订单 %(number)s", "訂單 %(number)s", "訂單 %(number)s"),
    "Orders": T("订单", "訂單", "訂單"),
    "Buyer": T("买家", "買家", "買主"),
    "Ship to": T("收货信息", "寄去", "寄去"),
    "Drop-ship: sender on the parcel": T(
        "代发：包裹寄件人", "代發：包裹嘅寄件人", "代發：包裹的寄件人"),
    "No prices in the parcel": T("包裹内不放价格单", "包裹入面唔放價錢", "包裹內底無放價數"),
    "Buyer's note": T("买家留言", "買家留言", "買主留言"),
    "Shipment": T("物流信息", "物流資料", "物流資料"),
    "Cancel reason": T("取消原因", "取消原因", "取消的原因"),
    "Packing slip": T("发货单", "出貨單", "出貨單"),
    "Ship": T("发货", "出貨", "出貨"),
    "Carrier": T("快递公司", "速遞公司", "貨運公司"),
    "Tracking number": T("快递单号", "運單號碼", "貨運單號"),
    "Mark shipped": T("确认发货", "確認出貨", "確認出貨"),
    "Cancel the order": T("取消订单", "取消訂單", "取消訂單"),
    "Reason (the buyer sees it)": T("原因（买家可见）", "原因（買家睇得到）", "原因（買主看會著）"),
    "Cancel order": T("取消订单", "取消訂單", "取消訂單"),
    "Drop-ship": T("代发", "代發", "代發"),
    "No orders here.": T("暂无订单。", "呢度冇訂單。", "遮無訂單。"),
    "Back to the order": T("返回订单", "返去訂單", "轉去訂單"),
    "Print": T("打印", "列印", "印出來"),
    "Order number": T("订单编号", "訂單編號", "訂單編號"),
    "Sender": T("寄件人", "寄件人", "寄件人"),
    "Address": T("地址", "地址", "地址"),
    "Item": T("商品", "貨品", "商品"),
    "Pay by %(deadline)s, or the order is cancelled.": T(
        "请在 %(deadline)s 前付款，逾期订单将自动取消。",
        "請喺 %(deadline)s 之前俾錢，唔係訂單會取消。",
        "請佇 %(deadline)s 進前納錢，無訂單會取消。"),
    "Completes automatically on %(when)s unless you raise a problem.": T(
        "如无问题，订单将于 %(when)s 自动确认收货。", "如果冇問題，訂單會喺 %(when)s 自動完成。",
        "若無問題，訂單會佇 %(when)s 自動完成。"),
    "Pay": T("付款", "俾錢", "納錢"),
    "Cancel this order?": T("确定取消该订单吗？", "確定取消呢張訂單？", "確定欲取消這張訂單？"),
    "Confirm receipt": T("确认收货", "確認收貨", "確認收著貨"),
    "Sender on the parcel": T("包裹寄件人", "包裹寄件人", "包裹的寄件人"),
    "prices hidden": T("不显示价格", "唔顯示價錢", "無顯示價數"),
    "Note": T("备注", "備註", "備註"),
    "Placed": T("下单时间", "落單時間", "落單時間"),
    "No orders here yet.": T("暂无订单。", "暫時未有訂單。", "猶無訂單。"),
    # --- Requests for quotation and samples (trade) ---
    "list price": T("原价", "原價", "原價"),
    "Your quote": T("您的报价", "你嘅報價", "你的報價"),
    "valid until %(until)s": T("有效期至 %(until)s", "有效期至 %(until)s", "有效到 %(until)s"),
    "Order": T("订单", "訂單", "訂單"),
    "Quote again": T("重新报价", "再報價", "閣報價"),
    "Send the quote": T("发送报价", "發送報價", "送出報價"),
    "Cannot supply?": T("无法供货？", "供唔到貨？", "無法度供貨？"),
    "Decline the request": T("拒绝该申请", "拒絕呢個申請", "拒絕這个申請"),
    "Send to": T("寄送地址", "寄去", "寄去"),
    "Approved. Send the sample to the address above.": T(
        "已同意，请将样品寄到上方地址。", "批准咗，請將樣品寄去上面個地址。",
        "已經通過矣，請共樣品寄去頂懸的地址。"),
    "Decline": T("拒绝", "拒絕", "拒絕"),
    "Filter by state": T("按状态筛选", "按狀態篩選", "照狀態篩選"),
    "Nothing here. Enterprise buyers' requests for quotation appear here.": T(
        "暂无内容。企业采购商的询价单会显示在这里。", "呢度暫時冇嘢。企業採購嘅詢價會喺度顯示。",
        "遮猶無物件。企業採購的詢價會佇遮出現。"),
    "Nothing here. Enterprise buyers' sample requests appear here.": T(
        "暂无内容。企业采购商的样品申请会显示在这里。",
        "呢度暫時冇嘢。企業採購嘅樣品申請會喺度顯示。",
        "遮猶無物件。企業採購的樣品申請會佇遮出現。"),
    "Shipping fees, local delivery and wholesale terms of your shop. Amounts in yuan.": T(
        "设置店铺的运费、同城配送和批发条件。金额单位为元。",
        "你間舖嘅運費、同城送貨同批發條款。金額以元計。",
        "你的店頭的運費、同城送貨佮批發條件。金額用元算。"),
    "Free at or above the threshold; otherwise the base fee covers the first kilogram and each "
    "further started kilogram adds the per-kg fee.": T(
        "订单满包邮门槛即免运费；否则首重 1 公斤收取基础运费，续重每增加 1 公斤（不足 1 公斤按 1 "
        "公斤计）加收续重费。",
        "買滿門檻就免運費；唔係就首 1 公斤收基本運費，之後每多 1 公斤（唔夠 1 公斤當 1 公斤計）"
        "加收續重費。",
        "買到門檻就免運費；若無，頭 1 公斤收基本運費，了後逐加 1 公斤（無夠 1 公斤算 1 公斤）"
        "加收續重費。"),
    "Free shipping from (yuan)": T("满额包邮（元）", "買滿免運費（元）", "買到遮濟免運費（元）"),
    "Base fee, first kg (yuan)": T(
        "首重运费，1 公斤（元）", "首 1 公斤運費（元）", "頭 1 公斤運費（元）"),
    "Each further kg (yuan)": T("续重每公斤（元）", "之後每公斤（元）", "了後逐公斤（元）"),
    "Local delivery": T("同城配送", "同城送貨", "同城送貨"),
    "I deliver myself (same day / next day) to the districts ticked below": T(
        "我自行配送（当日达/次日达）至下方勾选的区县", "我自己送貨（即日／翌日）去下面剔咗嘅區縣",
        "我家己送貨（當日／隔工）去下跤有勾的區縣"),
    "Local delivery fee (yuan)": T("同城配送费（元）", "同城送貨費（元）", "同城送貨費（元）"),
    "Districts": T("区县", "區縣", "區縣"),
    "A fee here replaces the base express fee for that district (leave empty for the normal "
    "fee). Tick the districts you deliver to yourself.": T(
        "此处填写的运费将替代该区县的快递基础运费（留空则按常规运费）。请勾选您自行配送的区县。",
        "喺度填嘅運費會取代嗰個區縣嘅速遞基本運費（留空就用平時嘅運費）。請剔選你自己送貨嘅區縣。",
        "遮填的運費會取代彼个區縣的宅配基本運費（無填就用普通的運費）。請勾你家己送貨的區縣。"),
    "Base fee": T("基础运费", "基本運費", "基本運費"),
    "Local": T("同城", "同城", "同城"),
    "express base fee (yuan)": T("快递基础运费（元）", "速遞基本運費（元）", "宅配基本運費（元）"),
    "local": T("同城配送", "同城送貨", "同城送貨"),
    "Mixed batch: an enterprise buyer's order from your shop must reach the minimum quantity "
    "OR the minimum amount, counted across all your products. 0 means no minimum.": T(
        "混批：企业采购商在本店的订单须达到最低起订数量或最低起订金额（二者满足其一即可），"
        "按本店所有商品合并计算。填 0 表示不限。",
        "混批：企業採購喺你間舖落嘅單，要夠最低起訂數量或者最低起訂金額（夠一樣就得），"
        "全店貨品合埋計。填 0 即係唔限。",
        "混批：企業採購佇你的店頭落的單，愛有夠最低起訂數量抑是最低起訂金額（有一項就好），"
        "規店的商品合做伙算。填 0 就是無限。"),
    "Minimum quantity per order": T("每单起订量", "每張單起訂量", "逐張訂單起訂量"),
    "Minimum amount per order (yuan)": T(
        "每单起订金额（元）", "每張單起訂金額（元）", "逐張訂單起訂金額（元）"),
    "Drop-ship: send distributors' orders straight to their customers": T(
        "一件代发：将分销商的订单直接发给其客户", "一件代發：將分銷商嘅訂單直接寄俾佢哋嘅客",
        "一件代發：共經銷商的訂單直接寄予個的人客"),
    "Accept sample requests": T("接受样品申领", "接受樣品申請", "接受樣品申請"),
    "Save the terms": T("保存设置", "儲存條款", "保存條件"),
    "Self-pickup points": T("自提点", "自取點", "自取點"),
    "off": T("已停用", "停用咗", "停用矣"),
    "In use": T("启用", "使用緊", "咧用"),
    "No pickup points yet. Buyers can pick orders up only where you add one.": T(
        "暂无自提点。添加自提点后，买家才能到店自提。",
        "暫時未有自取點。你加咗自取點，買家先可以去嗰度自取。",
        "猶無自取點。你加自取點了後，買主才會當去遐提貨。"),
    "Add a pickup point": T("添加自提点", "加自取點", "加自取點"),
    "My requests for quotation": T("我的询价单", "我嘅詢價", "我的詢價"),
    "Product no longer listed": T("商品已下架", "貨品已經落咗架", "商品已經下架矣"),
    "Quoted unit price": T("报价单价", "報價單價", "報價單價"),
    "goods total": T("商品总额", "貨品總額", "商品總額"),
    "Valid until %(until)s": T("有效期至 %(until)s", "有效期至 %(until)s", "有效到 %(until)s"),
    "Accept the quote": T("接受报价", "接受報價", "接受報價"),
    "This quote has run out; the merchant may quote again.": T(
        "该报价已过期，商家可重新报价。", "呢個報價過咗期；商家可以再報價。",
        "這个報價過期矣；商家會當閣報價。"),
    "Waiting for the merchant's quote.": T("等待商家报价。", "等緊商家報價。", "咧等商家報價。"),
    "Turn into an order": T("转为订单", "轉做訂單", "轉做訂單"),
    "View order": T("查看订单", "睇訂單", "看訂單"),
    "Withdraw": T("撤回", "撤回", "收回"),
    "Asked on": T("询价日期", "詢價日期", "詢價日子"),
    "No requests here. Ask for a quote on a product's page.": T(
        "暂无询价。可在商品详情页发起询价。", "暫時冇詢價。可以喺貨品頁面詢價。",
        "猶無詢價。會當佇商品頁面詢價。"),
    "To": T("寄至", "寄去", "寄去"),
    "The merchant agreed to send this sample.": T(
        "商家已同意寄送该样品。", "商家已經答應寄呢個樣品。", "商家已經答應寄這个樣品矣。"),
    "No sample requests yet. Ask for one on a product's page.": T(
        "暂无样品申请。可在商品详情页申领样品。", "暫時未有樣品申請。可以喺貨品頁面申請。",
        "猶無樣品申請。會當佇商品頁面申請。"),
    "Ask for a quote": T("询价", "詢價", "詢價"),
    "List price": T("原价", "原價", "原價"),
    "from %(qty)s: ": T("%(qty)s 件起：", "%(qty)s 件起：", "%(qty)s 件起："),
    "Tell the merchant how many you need; it answers with a unit price valid until a date. "
    "Accept it and turn it into an order at that price.": T(
        "告诉商家您需要的数量，商家会给出单价及报价有效期。接受报价后，即可按该价格下单。",
        "話俾商家知你要幾多；商家會報一個單價同有效期。接受咗之後，就可以用嗰個價錢落單。",
        "共商家講你欲愛偌濟；商家會報一个單價佮有效期。接受了後，就會當用彼个價數落單。"),
    "Note to the merchant": T("给商家留言", "俾商家嘅留言", "予商家的留言"),
    "Delivery date, packing, invoice…": T(
        "交货日期、包装、发票…", "交貨日期、包裝、發票…", "交貨日子、包裝、發票…"),
    "Send the request": T("提交询价", "發送詢價", "送出詢價"),
    "Order from a quote": T("按报价下单", "按報價落單", "照報價落單"),
    "quoted": T("报价", "報價", "報價"),
    "Add a delivery address first.": T(
        "请先添加收货地址。", "請先加送貨地址。", "請先加送貨地址。"),
    "Manage my addresses": T("管理收货地址", "管理我嘅地址", "管理我的地址"),
    "Drop-ship to my customer": T("代发给我的客户", "代發俾我啲客", "代發予我的人客"),
    "Choose your customer's address above; the merchant ships there with your name as sender.": T(
        "请在上方选择客户的地址，商家将以您的名义发货到该地址。",
        "請喺上面揀你個客嘅地址；商家會用你個名做寄件人寄去嗰度。",
        "請佇頂懸揀你的人客的地址；商家會用你的名做寄件人寄去遐。"),
    "Hide prices on the packing slip": T(
        "发货单上不显示价格", "出貨單唔顯示價錢", "出貨單無顯示價數"),
    "Goods at list price": T("商品原价总额", "貨品原價總額", "商品原價總額"),
    "To pay": T("应付", "應付", "應該納"),
    "Place the order": T("提交订单", "落單", "落單"),
    "Request a sample": T("申领样品", "申請樣品", "申請樣品"),
    "One sample per product. The merchant decides whether to send it; you will see the answer "
    "under My samples.": T(
        "每个商品限申领一份样品。是否寄送由商家决定，结果可在“我的样品”中查看。",
        "每件貨品只可以申請一個樣品。寄唔寄由商家決定；結果可以喺「我嘅樣品」度睇。",
        "一項商品干焦會當申請一个樣品。寄抑毋寄由商家決定；結果會當佇「我的樣品」看。"),
    "Any spec": T("任意规格", "任何規格", "啥物規格攏會使"),
    "Send the sample to": T("样品寄送至", "樣品寄去", "樣品寄去"),
    "Another address": T("其他地址", "第二個地址", "別的地址"),
    "e.g. what you plan to order and how many": T(
        "例如：计划采购的商品和数量", "例如：你打算買乜嘢、買幾多", "親像：你拍算欲買啥物、買偌濟"),
    "Request the sample": T("提交申请", "提交申請", "送出申請"),
    # --- Payment and order history labels (trade) ---
    "Sandbox": T("沙箱", "沙盒", "沙盒"),
    "WeChat Pay": T("微信支付", "微信支付", "微信支付"),
    "Alipay": T("支付宝", "支付寶", "支付寶"),
    "UnionPay": T("银联", "銀聯", "銀聯"),
    "Citizen card": T("市民卡", "市民卡", "市民卡"),
    "Not paid in time": T("超时未付款", "過咗時間未俾錢", "超過時間猶未納錢"),
    "Completed automatically": T("系统自动确认收货", "系統自動完成", "系統自動完成"),
    "Receipt confirmed by the buyer": T("买家已确认收货", "買家確認咗收貨", "買主確認收著貨矣"),
    "Cancelled by the buyer": T("买家已取消", "買家取消咗", "買主取消矣"),
    # --- Messages after actions (trade) ---
    "Address saved.": T("地址已保存。", "地址儲存咗。", "地址保存好矣。"),
    "Address deleted.": T("地址已删除。", "地址刪咗。", "地址刪掉矣。"),
    "Added to your cart.": T("已加入购物车。", "加咗入購物車。", "已經囥入購物車矣。"),
    "Removed from your cart.": T(
        "已从购物车移除。", "已經喺購物車移走咗。", "已經對購物車提掉矣。"),
    "Paid (sandbox). The merchants will ship soon.": T(
        "已付款（沙箱）。商家将尽快发货。", "俾咗錢（沙盒）。商家好快會出貨。",
        "納錢矣（沙盒）。商家真緊就會出貨。"),
    "Order %(number)s shipped.": T(
        "订单 %(number)s 已发货。", "訂單 %(number)s 出咗貨。", "訂單 %(number)s 出貨矣。"),
    "Order %(number)s cancelled.": T(
        "订单 %(number)s 已取消。", "訂單 %(number)s 取消咗。", "訂單 %(number)s 取消矣。"),
    "Order cancelled.": T("订单已取消。", "訂單取消咗。", "訂單取消矣。"),
    "Thank you! The order is completed.": T(
        "感谢您的购买！订单已完成。", "多謝晒！訂單完成咗。", "多謝！訂單完成矣。"),
    "Enter an amount in yuan, e.g. 12.50.": T(
        "请输入以元为单位的金额，例如 12.50。", "請輸入以元計嘅金額，例如 12.50。",
        "請輸入用元算的金額，親像 12.50。"),
    "Sample requested. The merchant will reply here.": T(
        "样品申请已提交，商家会在这里答复。", "樣品申請咗。商家會喺度回覆。",
        "樣品申請矣。商家會佇遮回覆。"),
    "Request sent. You will see the quote here.": T(
        "询价已发送，报价将显示在这里。", "詢價發咗出去。報價會喺度顯示。",
        "詢價送出矣。報價會佇遮出現。"),
    "Waiting": T("待报价", "等緊報價", "等報價"),
    "Quote accepted. Place the order before the quote runs out.": T(
        "已接受报价，请在报价过期前下单。", "接受咗報價。請喺報價過期之前落單。",
        "報價接受矣。請佇報價過期進前落單。"),
    "Request closed.": T("询价已关闭。", "詢價閂咗。", "詢價關掉矣。"),
    "Accept the quote first.": T("请先接受报价。", "請先接受報價。", "請先接受報價。"),
    "To quote": T("待报价", "等報價", "愛報價"),
    "To decide": T("待处理", "等處理", "愛處理"),
    "Trade terms saved.": T("交易设置已保存。", "交易條款儲存咗。", "交易條件保存好矣。"),
    "Pickup point saved.": T("自提点已保存。", "自取點儲存咗。", "自取點保存好矣。"),
    "Pickup point deleted.": T("自提点已删除。", "自取點刪咗。", "自取點刪掉矣。"),
    "Orders refer to this pickup point, so it was switched off instead.": T(
        "已有订单使用该自提点，因此改为停用。", "有訂單用緊呢個自取點，所以改為停用。",
        "有訂單咧用這个自取點，所以改做停用。"),
    "%(merchant)s: %(quantity)s more items or %(amount)s more to reach this merchant's "
    "mixed-batch minimum": T(
        "%(merchant)s：再买 %(quantity)s 件或再买 %(amount)s 即可达到该商家的混批起订要求",
        "%(merchant)s：再買多 %(quantity)s 件或者 %(amount)s 就夠呢個商家嘅混批起訂要求",
        "%(merchant)s：閣買 %(quantity)s 件抑是 %(amount)s 就有夠這个商家的混批起訂要求"),
    "%(merchant)s: %(quantity)s more items to reach this merchant's mixed-batch minimum": T(
        "%(merchant)s：再买 %(quantity)s 件即可达到该商家的混批起订要求",
        "%(merchant)s：再買多 %(quantity)s 件就夠呢個商家嘅混批起訂要求",
        "%(merchant)s：閣買 %(quantity)s 件就有夠這个商家的混批起訂要求"),
    "%(merchant)s: %(amount)s more to reach this merchant's mixed-batch minimum": T(
        "%(merchant)s：再买 %(amount)s 即可达到该商家的混批起订要求",
        "%(merchant)s：再買多 %(amount)s 就夠呢個商家嘅混批起訂要求",
        "%(merchant)s：閣買 %(amount)s 就有夠這个商家的混批起訂要求"),
    "This merchant does not ship to your customers directly (no drop-shipping).": T(
        "该商家不提供直接发货给您客户的服务（不支持代发）。",
        "呢個商家唔會直接寄俾你啲客（冇代發）。", "這个商家袂直接寄予你的人客（無代發）。"),
    "This merchant does not offer drop-shipping.": T(
        "该商家不支持代发。", "呢個商家冇代發。", "這个商家無代發。"),
    "Give the sender name printed on the parcel (1-%(max)s characters).": T(
        "请填写包裹上显示的寄件人姓名（1-%(max)s 个字）。",
        "請填包裹上面印嘅寄件人名（1-%(max)s 個字）。",
        "請填包裹頂懸印的寄件人名（1-%(max)s 字）。"),
    "Choose whether to hide prices.": T(
        "请选择是否隐藏价格。", "請揀使唔使收埋價錢。", "請揀敢欲共價數藏起來。"),
    "Please correct the drop-shipping details.": T(
        "请修改代发信息。", "請改好代發資料。", "請改好代發資料。"),
}



def _merge_tables() -> None:
    """Add the per-centre tables in ``tables/*.py`` (each defines ``TRANSLATIONS`` with the
    same ``T`` rows): one file per centre keeps concurrent work from editing one big file."""
    import importlib.util

    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    for path in sorted((LOCALE_DIR / "tables").glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"_rm_tables_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        for msgid, row in module.TRANSLATIONS.items():
            if msgid in TRANSLATIONS and TRANSLATIONS[msgid] != row:
                # One msgid has one translation: the main table (then the earlier file) wins.
                print(f"{path.name}: {msgid!r} already translated differently; kept the "
                      "first", file=sys.stderr)
                continue
            TRANSLATIONS[msgid] = row


_merge_tables()

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in _PLACEHOLDER.finditer(text))


def _key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def fill(locales=ALL_LOCALES) -> dict[str, list[str]]:
    """Write the table into each .po file; return the msgids still missing, per locale."""
    import polib

    missing: dict[str, list[str]] = {}
    for locale in locales:
        path = LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path), wrapwidth=100)
        language, plural_forms, team = HEADERS[locale]
        po.metadata.update({
            "Project-Id-Version": "RegionMall",
            "Language": language,
            "Language-Team": team,
            "Last-Translator": "RegionMall translators",
            "Plural-Forms": plural_forms,
            "Content-Type": "text/plain; charset=UTF-8",
        })
        po.metadata.pop("PO-Revision-Date", None)
        po.metadata_is_fuzzy = False
        for entry in list(po.obsolete_entries()):
            po.remove(entry)
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if locale == "en":
                continue  # msgids are English already
            text = TRANSLATIONS.get(_key(entry), {}).get(locale)
            if not text:
                entry.msgstr = ""
                missing.setdefault(locale, []).append(entry.msgid)
                continue
            if _placeholders(text) != _placeholders(entry.msgid):
                raise ValueError(f"{locale}: placeholders differ for {entry.msgid!r}: {text!r}")
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text}
            else:
                entry.msgstr = text
        po.save(str(path))
    return missing


def _django(*commands: tuple) -> None:
    import os

    import django
    from django.core.management import call_command

    sys.path.insert(0, str(REPO_ROOT))
    os.chdir(REPO_ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionmall.settings")
    django.setup()
    for name, kwargs in commands:
        call_command(name, verbosity=0, **kwargs)


def main(argv: list[str]) -> int:
    if "--fill" not in argv and "--check" not in argv:
        _django(("makemessages", {"locale": list(ALL_LOCALES), "ignore_patterns": IGNORE}))
    missing = fill()
    if "--fill" not in argv and "--check" not in argv:
        _django(("compilemessages", {"ignore_patterns": [".venv"]}))
    untranslated = sorted({msgid for msgids in missing.values() for msgid in msgids})
    for msgid in untranslated:
        locales = ", ".join(loc for loc, msgids in missing.items() if msgid in msgids)
        print(f"untranslated ({locales}): {msgid!r}", file=sys.stderr)
    return 1 if untranslated else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
