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
}

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
