"""HQ's page strings in Chinese (the default) and English, one catalogue of key -> {zh, en}; the
domain words (statuses, grades, risks, categories, commands, results, fields) are
``core.vocabulary``'s, so a status reads the same on a page, in a ledger and in the app. Dates are
shown in the plants' local time (+08:00)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from inspect_app.core import vocabulary

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANG_COOKIE = "hq_lang"
#: The plants' clock: China Standard Time has no daylight saving.
LOCAL_TIME = timezone(timedelta(hours=8))

#: HQ's own page strings; a key the vocabulary owns is never written here.
WORDS: dict[str, dict[str, str]] = {
    "hq": {"zh": "隐患排查治理 HQ", "en": "inspect_app HQ"},
    "nav.group": {"zh": "集团", "en": "Group"},
    "nav.plant": {"zh": "本厂", "en": "Plant"},
    "nav.workshops": {"zh": "我的车间", "en": "My workshops"},
    "nav.hazards": {"zh": "隐患", "en": "Hazards"},
    "nav.devices": {"zh": "设备终端", "en": "Devices"},
    "nav.master": {"zh": "基础数据", "en": "Master data"},
    "nav.audit": {"zh": "审计日志", "en": "Audit"},
    "nav.logout": {"zh": "退出", "en": "Log out"},
    "nav.language": {"zh": "English", "en": "中文"},
    "login.title": {"zh": "HQ 登录", "en": "HQ log in"},
    "login.heading": {"zh": "HQ 登录", "en": "HQ log in"},
    "login.username": {"zh": "用户名", "en": "Username"},
    "login.password": {"zh": "密码", "en": "Password"},
    "login.submit": {"zh": "登录", "en": "Log in"},
    "error.title": {"zh": "无法打开", "en": "Refused"},
    "error.back": {"zh": "返回 HQ", "en": "Back to HQ"},
    "error.not_allowed": {
        "zh": "您的账号无权打开此页面（{page}）。",
        "en": "Your account may not open this page ({page}).",
    },
    "error.no_hazard": {"zh": "没有这条隐患。", "en": "No such hazard."},
    "error.no_plant": {"zh": "没有这个厂。", "en": "No such plant."},
    "error.no_workshop": {"zh": "没有这个车间。", "en": "No such workshop."},
    "error.csrf": {
        "zh": "HQ 拒绝了这个表单：安全令牌缺失或已过期（或来自其他网站）。请刷新页面后重试。",
        "en": "HQ refused this form: its security token is missing or out of date (or it was "
        "sent from another site). Reload the page and try again.",
    },
    "error.form_unreadable": {
        "zh": "无法读取表单：不是 UTF-8 表单数据",
        "en": "the form could not be read: it is not UTF-8 form data",
    },
    "error.form_nul": {
        "zh": "无法读取表单：含有 NUL 字符",
        "en": "the form could not be read: it holds NUL characters",
    },
    "notice.bad_month": {
        "zh": "“{value}”不是有效的月份（YYYY-MM），显示本月。",
        "en": "“{value}” is not a valid month (YYYY-MM); showing this month.",
    },
    "notice.bad_filter": {
        "zh": "“{value}”不是有效的{name}，显示全部。",
        "en": "“{value}” is not a valid {name}; showing all.",
    },
    "notice.bad_kind": {
        "zh": "“{value}”不是日志类别，显示全部。",
        "en": "“{value}” is not a kind of entry; showing all.",
    },
    "notice.no_person": {
        "zh": "您的账号没有关联到任何人员，看不到任何车间的隐患。请联系 HQ 管理员。",
        "en": "Your account belongs to no person on any site, so it sees no workshop. Ask an "
        "HQ admin.",
    },
    "filter.workshop": {"zh": "车间", "en": "workshop"},
    "filter.grade": {"zh": "等级", "en": "grade"},
    "filter.status": {"zh": "状态", "en": "status"},
    "dash.title": {"zh": "隐患", "en": "Hazards"},
    "dash.rate": {"zh": "{month} 整改率", "en": "{month}: rectification rate"},
    "dash.rate_detail": {
        "zh": "一般 {general} · 重大 {major} · 按期 {on_time} · "
        "当前逾期 {overdue}（重大 {overdue_major}）",
        "en": "general {general} · major {major} · on time {on_time} · overdue now {overdue} "
        "({overdue_major} major)",
    },
    "dash.by_workshop": {"zh": "各车间整改率", "en": "Rate by workshop"},
    "dash.trend": {"zh": "月度趋势", "en": "Month trend"},
    "dash.open": {"zh": "未销号隐患（{n}）", "en": "Open hazards ({n})"},
    "dash.all_workshops": {"zh": "全部车间", "en": "All workshops"},
    "dash.all_grades": {"zh": "全部等级", "en": "All grades"},
    "dash.all_open": {"zh": "全部未销号", "en": "All open"},
    "dash.overdue_only": {"zh": "仅逾期", "en": "overdue only"},
    "dash.month": {"zh": "月份", "en": "month"},
    "dash.filter": {"zh": "筛选", "en": "Filter"},
    "dash.first_n": {"zh": "只列出前 {n} 条。", "en": "The first {n} are listed."},
    "dash.next_page": {"zh": "下一页", "en": "Next page"},
    "dash.all_overdue": {"zh": "全部逾期隐患", "en": "All overdue hazards"},
    "dash.overdue": {"zh": "逾期", "en": "Overdue"},
    "dash.invalid": {"zh": "无效记录（{n}）", "en": "Records that are not valid ({n})"},
    "dash.invalid_note": {
        "zh": "这些隐患记录无法解析，不计入上面的整改率。",
        "en": "These stored hazards do not parse; they are not counted in the rates above.",
    },
    "dash.recurring": {
        "zh": "反复出现的问题（近 6 个月 3 次以上）",
        "en": "Recurring (3+ times in 6 months)",
    },
    "dash.summary": {"zh": "月度汇总（可打印）", "en": "Monthly summary (printable)"},
    "group.title": {"zh": "集团总览", "en": "Group overview"},
    "group.workshops": {"zh": "我的车间", "en": "My workshops"},
    "group.by_plant": {"zh": "各厂整改率", "en": "Rate by plant"},
    "col.unit": {"zh": "单位", "en": "Unit"},
    "col.open_major": {"zh": "未销号重大隐患", "en": "Open majors"},
    "col.overdue": {"zh": "逾期", "en": "Overdue"},
    "col.rate": {"zh": "{month} 整改率", "en": "Rate {month}"},
    "col.trend": {"zh": "近 6 个月整改率", "en": "Rate, last 6 months"},
    "summary.title": {
        "zh": "{plant} {month} 隐患排查治理月报",
        "en": "{plant}: monthly summary {month}",
    },
    "summary.as_of": {"zh": "截至 {as_of}", "en": "as of {as_of}"},
    "summary.open_majors": {"zh": "未销号重大隐患", "en": "Open major hazards"},
    "summary.print": {
        "zh": "打印本页即可得到纸质月报。",
        "en": "Print this page for the paper summary.",
    },
    "chart.found": {"zh": "发现", "en": "found"},
    "chart.rectified": {"zh": "已整改", "en": "rectified"},
    "chart.overdue": {"zh": "逾期", "en": "overdue"},
    "chart.general": {"zh": "一般", "en": "general"},
    "chart.major": {"zh": "重大", "en": "major"},
    "col.grade": {"zh": "等级", "en": "Grade"},
    "col.hazard": {"zh": "隐患", "en": "Hazard"},
    "col.workshop": {"zh": "车间", "en": "Workshop"},
    "col.status": {"zh": "状态", "en": "Status"},
    "col.deadline": {"zh": "期限", "en": "Deadline"},
    "col.invalid": {"zh": "无效原因", "en": "Not valid"},
    "col.item": {"zh": "检查项/设备", "en": "Item or equipment"},
    "col.times": {"zh": "次数", "en": "Times"},
    "none": {"zh": "无。", "en": "None."},
    "days_overdue": {"zh": "逾期 {n} 天", "en": "{n} days overdue"},
    "days_left": {"zh": "{deadline}（剩 {n} 天）", "en": "{deadline} ({n} d)"},
    "hazard.invalid": {"zh": "此记录无效", "en": "This record is not valid"},
    "hazard.shown_below": {
        "zh": "能显示的内容显示在下面。",
        "en": "What can be shown is shown below.",
    },
    "hazard.deadline": {"zh": "期限 {deadline}", "en": "deadline {deadline}"},
    "hazard.found": {
        "zh": "{who} 于 {when} 发现；检查项 {item}（{reference}）",
        "en": "Found by {who} on {when}; item {item} ({reference})",
    },
    "hazard.plan": {"zh": "五定方案", "en": "Five-fix plan"},
    "hazard.no_plan": {"zh": "尚未下达五定方案。", "en": "No five-fix plan yet."},
    "hazard.fix": {"zh": "整改情况", "en": "Rectification"},
    "hazard.fix_note": {"zh": "整改说明", "en": "Fix note"},
    "hazard.no_fix": {"zh": "尚未提交整改。", "en": "Not submitted as rectified yet."},
    "hazard.photos": {"zh": "照片", "en": "Photos"},
    "hazard.before": {"zh": "整改前", "en": "before"},
    "hazard.after": {"zh": "整改后", "en": "after"},
    "hazard.photo": {"zh": "照片 {caption}", "en": "photo {caption}"},
    "hazard.photo_invalid": {"zh": "照片引用无效：{ref}", "en": "photo reference not valid: {ref}"},
    "hazard.photo_count": {"zh": "{n} 张照片", "en": "{n} photos"},
    "hazard.no_photos": {"zh": "没有照片。", "en": "No photos."},
    "hazard.timeline": {"zh": "处理记录", "en": "Timeline"},
    "hazard.when": {"zh": "时间", "en": "When"},
    "hazard.who": {"zh": "人员", "en": "Who"},
    "hazard.what": {"zh": "操作", "en": "What"},
    "hazard.result": {"zh": "结果", "en": "Result"},
    "hazard.details": {"zh": "内容", "en": "Details"},
    "hazard.device": {"zh": "终端", "en": "Device"},
    "hazard.actions": {"zh": "办理", "en": "Act on this hazard"},
    "hazard.no_actions": {
        "zh": "您现在不能在网页上办理这条隐患。",
        "en": "There is nothing you may do on this hazard on the web now.",
    },
    "hazard.app_only": {
        "zh": "需要现场照片的操作请在 App 上办理：{actions}",
        "en": "Steps that need photos from the site are done in the app: {actions}",
    },
    "hazard.done": {"zh": "已办理：{action}", "en": "Done: {action}"},
    "hazard.refused": {"zh": "未办理（{action}）：{reason}", "en": "Not done ({action}): {reason}"},
    "hazard.no_person": {
        "zh": "您的账号没有关联到人员，不能办理。",
        "en": "Your account belongs to no person, so it cannot act.",
    },
    "hazard.choose": {"zh": "请选择", "en": "choose"},
    "plan.responsible_id": {"zh": "责任人", "en": "Responsible"},
    "plan.measures": {"zh": "措施", "en": "Measures"},
    "plan.funds": {"zh": "资金", "en": "Funds"},
    "plan.deadline": {"zh": "期限", "en": "Deadline"},
    "plan.contingency": {"zh": "应急预案", "en": "Contingency"},
    "plan.plan": {"zh": "方案", "en": "Plan"},
    "event.inspection_submitted": {"zh": "提交检查", "en": "Inspection submitted"},
    "devices.title": {"zh": "设备终端", "en": "Devices"},
    "devices.code_for": {"zh": "{person} 的注册码", "en": "Enrolment code for {person}"},
    "devices.code_note": {
        "zh": "24 小时内有效，只能用一次。在终端上扫码（含本服务器地址），或输入注册码：",
        "en": "Valid 24 hours, once. Scan it on the device (it holds this server's address "
        "too), or type the code:",
    },
    "devices.too_long": {
        "zh": "本服务器地址太长，无法生成二维码；请输入注册码。",
        "en": "This server's address is too long for a QR code; type the code.",
    },
    "devices.make": {"zh": "生成注册码", "en": "Make an enrolment code"},
    "devices.make_button": {"zh": "生成", "en": "Make code"},
    "devices.person": {"zh": "人员", "en": "person"},
    "devices.list": {"zh": "已注册终端", "en": "Devices"},
    "devices.device": {"zh": "终端", "en": "Device"},
    "devices.owner": {"zh": "使用人", "en": "Person"},
    "devices.enrolled": {"zh": "注册时间", "en": "Enrolled"},
    "devices.last_sync": {"zh": "最近同步", "en": "Last sync"},
    "devices.never": {"zh": "从未", "en": "never"},
    "devices.revoked": {"zh": "已吊销", "en": "revoked"},
    "devices.revoke": {"zh": "吊销", "en": "Revoke"},
    "master.title": {"zh": "基础数据", "en": "Master data"},
    "master.site": {"zh": "厂区 {plant}", "en": "Site {plant}"},
    "master.site_note": {
        "zh": "车间、人员及其角色和范围、特种设备。",
        "en": "Workshops, people and their roles and scope, special equipment.",
    },
    "master.site_file": {"zh": "site file", "en": "site file"},
    "master.publish_site": {"zh": "发布厂区数据", "en": "Publish site"},
    "master.checklists": {"zh": "检查表", "en": "Checklists"},
    "master.checklist_file": {"zh": "checklist file", "en": "checklist file"},
    "master.checklist_placeholder": {
        "zh": "粘贴版本号更高的检查表 YAML",
        "en": "Paste a checklist YAML with a higher version",
    },
    "master.publish_checklist": {"zh": "发布检查表", "en": "Publish checklist"},
    "master.published_site": {
        "zh": "已发布 {plant} 的厂区数据",
        "en": "Published the site of {plant}",
    },
    "master.published_checklist": {
        "zh": "已发布 {id} 第 {version} 版",
        "en": "Published {id} v{version}",
    },
    "audit.title": {"zh": "审计日志", "en": "Audit log"},
    "audit.heading": {"zh": "审计日志（{n}）", "en": "Audit log ({n})"},
    "audit.all_kinds": {"zh": "全部类别", "en": "all kinds"},
    "audit.kind": {"zh": "类别", "en": "kind"},
    "audit.show": {"zh": "显示", "en": "Show"},
    "audit.when": {"zh": "时间", "en": "When"},
    "audit.what": {"zh": "事项", "en": "What"},
    "audit.who": {"zh": "人员", "en": "Who"},
    "audit.from": {"zh": "来源", "en": "From"},
    "audit.detail": {"zh": "详情", "en": "Detail"},
    "audit.newer": {"zh": "较新", "en": "Newer"},
    "audit.older": {"zh": "较早", "en": "Older"},
    "audit.page": {"zh": "第 {page} / {last} 页", "en": "Page {page} of {last}"},
    # The audit's details, one sentence per kind (server/audit.py: Entry.describe).
    "audit.said.login": {"zh": "登录成功", "en": "logged in"},
    "audit.said.login_failed": {"zh": "{reason}", "en": "{reason}"},
    "audit.said.enrol_code": {"zh": "为 {person} 生成", "en": "for {person}"},
    "audit.said.device_enrolled": {"zh": "{device}（{label}）", "en": "{device} ({label})"},
    "audit.said.device_revoked": {"zh": "{device}", "en": "{device}"},
    "audit.said.site_published": {"zh": "{plant} 的厂区数据", "en": "the site of {plant}"},
    "audit.said.checklist_published": {
        "zh": "{checklist} 第 {version} 版",
        "en": "{checklist} v{version}",
    },
    "audit.said.user_changed": {
        "zh": "{change} {user}（{role}，人员 {person}）",
        "en": "{change} {user} ({role}, person {person})",
    },
    "audit.said.restore.restore": {
        "zh": "从备份 {source} 恢复，新纪元 {epoch}",
        "en": "restored from the backup {source}; new epoch {epoch}",
    },
    "audit.said.restore.restored": {
        "zh": "标记为已恢复，新纪元 {epoch}",
        "en": "marked as restored; new epoch {epoch}",
    },
    "audit.word.wrong_password": {"zh": "用户名或密码错误", "en": "wrong username or password"},
    "audit.word.throttled": {
        "zh": "失败次数过多，未检查即拒绝",
        "en": "refused unchecked: too many failed logins",
    },
    "audit.word.created": {"zh": "新建", "en": "created"},
    "audit.word.reset": {"zh": "重置", "en": "reset"},
    "audit.word.admin": {"zh": "管理员", "en": "admin"},
    "audit.word.user": {"zh": "用户", "en": "user"},
    # Web accounts' actions, listed apart from the enrolled devices (pages/devices.py).
    "devices.web_list": {"zh": "HQ 网页上的操作", "en": "Actions on the HQ pages"},
    "devices.web_note": {
        "zh": "HQ 账号在隐患页面上的操作经由各自的服务器端终端提交；"
        "吊销后该账号不能再在网页上操作隐患。",
        "en": "Each HQ account's actions on the hazard pages go through its own server-side "
        "device; revoking it stops that account acting on hazards from the HQ pages.",
    },
    "devices.account": {"zh": "账号", "en": "Account"},
    "devices.first_used": {"zh": "首次使用", "en": "First used"},
    "devices.last_action": {"zh": "最近操作", "en": "Last action"},
}


def language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else DEFAULT_LANGUAGE


def html_lang(lang: str) -> str:
    return "zh-CN" if lang == "zh" else lang


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` in ``lang``; a key no catalogue has is shown as ``_default``, or as
    itself (stored values such as an event's type are shown as they are when HQ has no word)."""
    domain = vocabulary.words(lang)

    def t(key: str, _default: str | None = None, **values: object) -> str:
        if key in domain:
            text = domain[key]
        elif key in WORDS:
            text = WORDS[key][lang]
        else:
            return key if _default is None else _default
        return text.format(**values) if values else text

    return t


def local_time(iso: str) -> str:
    """A stored timestamp as the plants' local "YYYY-MM-DD HH:MM"; a date or text that is not
    a timestamp is shown as it is."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None or len(iso) <= 10:
        return iso
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")
