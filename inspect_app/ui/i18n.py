"""The app's own screen strings in English and Chinese; the domain words (statuses, grades,
roles, commands, fields, units...) are ``core.vocabulary``'s, and checklist text carries its own
translations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inspect_app.core import vocabulary
from inspect_app.core.hazard import HazardEvent
from inspect_app.core.workflow import Reason
from inspect_app.exports import ExportError
from inspect_app.exports.fonts import FontNotFoundError, MissingGlyphsError
from inspect_app.photos import PhotoError
from inspect_app.services.errors import ServiceError
from inspect_app.sync.errors import SyncError, said_in

#: The app's screen strings; a key the vocabulary owns is never written here.
SCREEN: dict[str, dict[str, str]] = {
    "en": {
        "app.title": "Plant safety inspections",
        "nav.home": "Home",
        "nav.inspect": "Inspect",
        "nav.hazards": "Hazards",
        "nav.sync": "Sync",
        "nav.settings": "Settings",
        "nav.previous": "Previous screen",
        "demo.label": "Demo",
        "font.missing": "Chinese font missing: install fonts-droid-fallback",
        "first.title": "Welcome",
        "first.intro": "Enrol this device with your plant's HQ, or try the demo plant first.",
        "first.demo_title": "Try the demo plant",
        "first.demo_body": "A made-up plant to try the app with; nothing reaches any HQ.",
        "first.demo": "Try the demo plant",
        "home.draft_progress": "{done} / {total} answered",
        "home.started_min": "started {n} min ago",
        "home.started_h": "started {n} h ago",
        "home.started_d": "started {n} d ago",
        "home.discard": "Discard",
        "home.discard_title": "Discard this inspection?",
        "home.discard_body": (
            "{checklist}: its answers are deleted from this device. It was never sent, so HQ "
            "never sees it."
        ),
        "home.keep": "Keep it",
        "home.discarded": "Inspection discarded",
        "walk.date": "Date",
        "walk.pick_date": "Pick date",
        "walk.date_range": "Passes from {first} to {last}",
        "walk.date_until": "Any date up to {last}",
        "summary.another": "Start another",
        "summary.done": "Done",
        "summary.sign_needed": "Sign with your name to submit",
        "summary.pad": "Sign here with your finger",
        "summary.pad_label": "Signature pad",
        "summary.clear_signature": "Clear signature",
        "sync.running": "Syncing…",
        "sync.counts": "Sent {sent}, received {received}",
        "home.in_progress": "In progress",
        "home.due": "Due checklists",
        "home.open_hazards": "Open hazards",
        "home.major": "major",
        "home.general": "general",
        "home.sync": "Sync",
        "home.pending": "{n} items waiting to sync",
        "home.last_sync": "Last sync: {at}",
        "home.never": "never",
        "home.certificates": "Equipment certificates",
        "home.cert_expired": "{asset}: certificate expired {days} days ago",
        "home.cert_expiring": "{asset}: certificate expires in {days} days",
        "home.nothing": "Nothing here.",
        "home.resume": "Resume",
        "home.who": "Signed in as {name}",
        "start.title": "Start an inspection",
        "start.checklist": "Checklist",
        "start.workshop": "Workshop",
        "start.area": "Area",
        "start.asset": "Equipment",
        "start.begin": "Begin inspection",
        "start.pick_asset": "Pick the equipment",
        "walk.progress": "{done} / {total}",
        "walk.next": "Next",
        "walk.back": "Back",
        "walk.finish": "Finish",
        "walk.saved": "Saved",
        "walk.reading_pass": "Within limit",
        "walk.reading_fail": "Outside limit",
        "walk.limit": "Limit: {limit}",
        "walk.note": "Note",
        "walk.today": "Today",
        "walk.reference": "Standard: {ref}",
        "walk.guidance": "How to check",
        "walk.add_unit": "Add another {unit}",
        "walk.units": "{unit}s checked: {tags}",
        "walk.tag": "{prompt}",
        "walk.add": "Add",
        "walk.none_yet": "none yet",
        "walk.invalid": "Check the value",
        "walk.drop_title": "Change Fail to Pass?",
        "walk.drop_body": "The finding written for this item and its {n} photo(s) will be dropped.",
        "walk.keep_fail": "Keep Fail",
        "walk.drop_confirm": "Drop the finding",
        "finding.title": "Finding",
        "finding.description": "What is wrong",
        "finding.grade": "Grade",
        "finding.risk": "Risk",
        "finding.fix": "Suggested fix: {fix}",
        "finding.photo": "Add photo",
        "finding.photos": "{n} photo(s)",
        "finding.photo_required": "A photo is required for this finding",
        "finding.processing": "Processing photo…",
        "finding.delete_photo": "Delete photo",
        "finding.taken": "taken {at}",
        "finding.place": "at {lat}, {lon}",
        "summary.title": "Summary",
        "summary.failures": "{n} failure(s)",
        "summary.blocked": "Cannot submit yet:",
        "summary.sign": "Inspector's name (signature)",
        "summary.submit": "Submit inspection",
        "summary.submitted": "Submitted: {n} hazard(s) registered",
        "summary.readonly": "This inspection is submitted and read-only.",
        "block.unanswered": "Not answered: {item}",
        "block.invalid": "Check the value: {item}",
        "block.photo_required": "Photo required: {item}",
        "block.too_few_instances": "Add at least one {unit}",
        "hazards.none": "No hazards match.",
        "hazards.due": "due {date}",
        "hazards.overdue": "{days} days overdue",
        "sync.title": "Sync with HQ",
        "sync.pending": "{n} items waiting",
        "sync.not_enrolled": "This device is not enrolled with HQ yet.",
        "settings.title": "Settings",
        "settings.language": "Language",
        "settings.who": "Who is using this device",
        "settings.photo_places": "Photo locations",
        "settings.keep_places": "Keep where each photo was taken (from the photo's GPS)",
        "settings.places_help": (
            "Off: positions are never kept. On: a photo's GPS position is kept with the "
            "finding and sent to HQ; the photo itself never carries it."
        ),
        "photo.error": "Photo not added: {reason}",
        "sync.enrol_again": "Enrol again for another person",
        "settings.enrolled_as": "This device is enrolled with HQ for {name}.",
        "settings.hand_over": (
            "To hand it to someone else, sync it, then enrol it again (Sync tab) with their code."
        ),
        "camera.shoot": "Take photo",
        "camera.gallery": "From gallery",
        "camera.failed": "the camera did not take the picture; try again or pick from the gallery",
        "export.ledger": "Hazard ledger:",
        "export.report": "PDF report",
        "export.failed": "Export failed: {reason}",
        "export.done": "Exported {name}",
        "sync.waiting": "Waiting to go to HQ",
        "sync.state": "Sync",
        "sync.now": "Sync now",
        "sync.done": "Up to date with HQ",
        "sync.failed": "Last sync failed: {reason}",
        "sync.phase.photos": "Sending photos: {photos} left, {mb} MB sent",
        "sync.phase.push": "Sending changes: {commands} left, {mb} MB sent",
        "sync.phase.pull": "Receiving changes from HQ",
        "sync.phase.done": "Up to date with HQ",
        "sync.phase.failed": "Sync failed",
        "sync.refused": "Not applied at HQ",
        "sync.refused.by": "{action} by {who}",
        "sync.refused.rejected_conflict": "Someone decided first",
        "sync.refused.rejected_invalid": "HQ found a value wrong",
        "sync.refused.rejected_invalid.field": "HQ found “{field}” wrong",
        "sync.refused.forbidden": "Not allowed",
        "sync.refused.why": "{result}: {reason}",
        "sync.earlier_error": "the reason was kept by an earlier version of the app",
        "sync.connection": "Connection",
        "sync.server": "HQ: {url}",
        "sync.device": "Device: {id}",
        "sync.enrolment": "Enrol this device",
        "sync.enrol_help": (
            "On HQ's Devices page, make a code for this person. Scan or paste its link here,"
            " or type HQ's address and the code."
        ),
        "sync.address": "HQ address or enrolment link",
        "sync.code": "One-time code",
        "sync.enrol": "Enrol",
        "sync.enrol_failed": "Not enrolled: {reason}",
        "sync.enrolled": "Enrolled with HQ",
        "hazards.title": "Hazards",
        "hazards.tab_list": "List",
        "hazards.tab_rates": "Rates",
        "hazards.filter_workshop": "Workshop",
        "hazards.filter_grade": "Grade",
        "hazards.filter_risk": "Risk",
        "hazards.filter_category": "Category",
        "hazards.all": "All",
        "hazards.filter": "Filter",
        "hazards.filters": "Filter ({n})",
        "hazards.overdue_only": "Overdue only",
        "hazards.show_open": "Open",
        "hazards.show_closed": "Closed",
        "hazards.count": "{n} hazard(s)",
        "hazards.page": "Page {page} of {pages}",
        "hazards.prev": "Previous page",
        "hazards.next": "Next page",
        "hazards.age": "found {days} d ago",
        "hazards.days_left": "{days} d left",
        "hazards.due_today": "due today",
        "detail.back": "Back to the list",
        "detail.found": "Found {date} by {who}",
        "detail.deadline": "Deadline {date}",
        "detail.origin": "Checklist item: {item}",
        "detail.reference": "Standard: {ref}",
        "detail.before": "Before",
        "detail.after": "After",
        "photo.label": "{kind} photo {n}",
        "photo.coming": "{n} photo(s) come with the next sync",
        "photo.loading": "Getting the full size from HQ…",
        "photo.offline": "Full size when online: this is the small copy",
        "photo.close": "Close",
        "detail.plan": "Five fixes",
        "detail.no_plan": "No plan yet.",
        "detail.extensions": "Extensions",
        "detail.extension_row": "{previous} → {new}: {reason} ({who}) · {status}",
        "detail.timeline": "Timeline",
        "detail.actions": "Actions",
        "detail.no_actions": "Nothing you can do on this hazard now.",
        "detail.major_flag": "Major hazard: tracked by HQ",
        "detail.conflict": "Not applied: {reason}",
        "detail.conflict_pair": (
            "{mine} by {who} was not applied: {winner} by {winner_who} came first."
        ),
        "detail.verify_refused": (
            "You rectified this hazard or are responsible for its fix: someone else verifies it."
        ),
        "detail.closing_needs": "Closing needs: {what}",
        "detail.needs_governance": "the governance plan approved by the principal",
        "detail.needs_signoff": "the supervising authority's sign-off",
        "detail.on_the_spot": "Fixed on the spot by {who}",
        "detail.opinion": "Verification opinion: {opinion}",
        "detail.funds_spent": "Funds spent: {funds}",
        "detail.major_path": "Major hazard: control, governance, reporting",
        "detail.control": "Interim control: {kind} ({who}, {at})",
        "detail.no_control": "No interim control recorded.",
        "detail.governance": "Governance plan",
        "detail.no_governance": "No governance plan yet.",
        "detail.governance_submitted": "Submitted by {who}, {at}",
        "detail.governance_approved": "Approved by {who}, {at}",
        "detail.governance_waiting": "Waiting for the principal's approval",
        "detail.report": "Reported to {authority} on {date} by {who}",
        "detail.no_report": "Not yet reported to the authority.",
        "detail.supervision": "Official supervision (挂牌督办) by {body}, deadline {date}",
        "detail.signed_off": "Signed off by {who} on {date}",
        "detail.not_signed_off": "The authority has not signed off yet.",
        "detail.voided": "Voided: {reason}",
        "detail.not_registered": "Voided here: HQ did not register this hazard ({reason}). "
        "Raise it again if it still stands.",
        "detail.not_synced": "not yet at HQ",
        "plan.deadline": "Deadline",
        "form.send": "Send",
        "form.optional": "(optional)",
        "form.cancel": "Cancel",
        "form.required": "Fill in: {field}",
        "form.bad_date": "Write the date as YYYY-MM-DD: {field}",
        "form.date_label": "{field} (YYYY-MM-DD)",
        "error.unexpected": "Something went wrong; the details are in the app's log.",
        "form.need_photo": "Add at least one photo",
        "form.done": "Saved: {action}",
        "form.refused": "Not possible: {reason}",
        "dash.title": "Rectification {month}",
        "dash.prev": "Previous month",
        "dash.next": "Next month",
        "dash.rate": "Rectification rate",
        "dash.general": "General",
        "dash.major": "Major",
        "dash.on_time": "On time",
        "dash.overdue": "Overdue now",
        "dash.overdue_major": "{n} major",
        "dash.found_closed": "{closed} of {found} closed",
        "dash.at_month_end": "Reported at month end: {rate}",
        "dash.by_workshop": "Open by workshop",
        "dash.by_category": "Open by category",
        "dash.hazards_to_be": "Equipment certificates: hazards-to-be",
        "dash.none": "Nothing open.",
    },
    "zh": {
        "app.title": "工厂安全检查",
        "nav.home": "首页",
        "nav.inspect": "检查",
        "nav.hazards": "隐患",
        "nav.sync": "同步",
        "nav.settings": "设置",
        "nav.previous": "返回上一页",
        "demo.label": "演示",
        "font.missing": "缺少中文字体：请安装 fonts-droid-fallback",
        "first.title": "欢迎使用",
        "first.intro": "请将本设备注册到本厂总部，或先试用演示工厂。",
        "first.demo_title": "试用演示工厂",
        "first.demo_body": "虚构的工厂，供试用；数据不会发送到任何总部。",
        "first.demo": "试用演示工厂",
        "home.draft_progress": "已答 {done} / {total}",
        "home.started_min": "{n} 分钟前开始",
        "home.started_h": "{n} 小时前开始",
        "home.started_d": "{n} 天前开始",
        "home.discard": "放弃",
        "home.discard_title": "放弃此次检查？",
        "home.discard_body": "{checklist}：答案将从本设备删除。它从未发送，总部不会看到。",
        "home.keep": "保留",
        "home.discarded": "已放弃此次检查",
        "walk.date": "日期",
        "walk.pick_date": "选择日期",
        "walk.date_range": "合格范围：{first} 至 {last}",
        "walk.date_until": "可选至 {last}",
        "summary.another": "再检查一项",
        "summary.done": "完成",
        "summary.sign_needed": "请签名后提交",
        "summary.pad": "请在此处手写签名",
        "summary.pad_label": "签名板",
        "summary.clear_signature": "清除签名",
        "sync.running": "正在同步…",
        "sync.counts": "已发送 {sent}，已接收 {received}",
        "home.in_progress": "进行中",
        "home.due": "待检查清单",
        "home.open_hazards": "未整改隐患",
        "home.major": "重大",
        "home.general": "一般",
        "home.sync": "同步",
        "home.pending": "{n} 项待同步",
        "home.last_sync": "上次同步：{at}",
        "home.never": "从未",
        "home.certificates": "特种设备检验证书",
        "home.cert_expired": "{asset}：证书已过期 {days} 天",
        "home.cert_expiring": "{asset}：证书 {days} 天后到期",
        "home.nothing": "暂无。",
        "home.resume": "继续",
        "home.who": "当前用户：{name}",
        "start.title": "开始检查",
        "start.checklist": "检查表",
        "start.workshop": "车间",
        "start.area": "区域",
        "start.asset": "设备",
        "start.begin": "开始检查",
        "start.pick_asset": "请选择设备",
        "walk.progress": "{done} / {total}",
        "walk.next": "下一项",
        "walk.back": "上一项",
        "walk.finish": "完成",
        "walk.saved": "已保存",
        "walk.reading_pass": "在限值内",
        "walk.reading_fail": "超出限值",
        "walk.limit": "限值：{limit}",
        "walk.note": "备注",
        "walk.today": "今天",
        "walk.reference": "依据：{ref}",
        "walk.guidance": "检查方法",
        "walk.add_unit": "再添加一个{unit}",
        "walk.units": "已检查{unit}：{tags}",
        "walk.tag": "{prompt}",
        "walk.add": "添加",
        "walk.none_yet": "暂无",
        "walk.invalid": "请检查数值",
        "walk.drop_title": "改为合格？",
        "walk.drop_body": "此项已填写的隐患描述及其 {n} 张照片将被删除。",
        "walk.keep_fail": "保留不合格",
        "walk.drop_confirm": "删除隐患",
        "finding.title": "隐患",
        "finding.description": "问题描述",
        "finding.grade": "等级",
        "finding.risk": "风险",
        "finding.fix": "建议整改：{fix}",
        "finding.photo": "添加照片",
        "finding.photos": "{n} 张照片",
        "finding.photo_required": "此隐患必须拍照",
        "finding.processing": "正在处理照片…",
        "finding.delete_photo": "删除照片",
        "finding.taken": "拍摄于 {at}",
        "finding.place": "位置 {lat}, {lon}",
        "summary.title": "汇总",
        "summary.failures": "{n} 项不合格",
        "summary.blocked": "暂不能提交：",
        "summary.sign": "检查人签名",
        "summary.submit": "提交检查",
        "summary.submitted": "已提交：登记 {n} 项隐患",
        "summary.readonly": "此检查已提交，只读。",
        "block.unanswered": "未填写：{item}",
        "block.invalid": "请检查数值：{item}",
        "block.photo_required": "需要照片：{item}",
        "block.too_few_instances": "请至少添加一个{unit}",
        "hazards.none": "没有符合条件的隐患。",
        "hazards.due": "期限 {date}",
        "hazards.overdue": "已逾期 {days} 天",
        "sync.title": "与总部同步",
        "sync.pending": "{n} 项待同步",
        "sync.not_enrolled": "本设备尚未在总部登记。",
        "settings.title": "设置",
        "settings.language": "语言",
        "settings.who": "使用本设备的人",
        "settings.photo_places": "照片位置",
        "settings.keep_places": "记录每张照片的拍摄位置（取自照片的GPS）",
        "settings.places_help": (
            "关闭：从不记录位置。开启：照片的GPS位置随发现问题一并保存并发送至总部；"
            "照片文件本身从不带有位置。"
        ),
        "photo.error": "照片未添加：{reason}",
        "sync.enrol_again": "重新登记给他人",
        "settings.enrolled_as": "本设备已在总部登记给 {name}。",
        "settings.hand_over": "如需交给他人使用，请先同步，再在“同步”页用其登记码重新登记。",
        "camera.shoot": "拍照",
        "camera.gallery": "从相册选择",
        "camera.failed": "相机未能拍照，请重试或从相册选择",
        "export.ledger": "隐患台账：",
        "export.report": "导出PDF报告",
        "export.failed": "导出失败：{reason}",
        "export.done": "已导出 {name}",
        "sync.waiting": "等待上传总部",
        "sync.state": "同步状态",
        "sync.now": "立即同步",
        "sync.done": "已与总部同步",
        "sync.failed": "上次同步失败：{reason}",
        "sync.phase.photos": "正在上传照片：剩余 {photos} 张，已发送 {mb} MB",
        "sync.phase.push": "正在上传记录：剩余 {commands} 条，已发送 {mb} MB",
        "sync.phase.pull": "正在接收总部更新",
        "sync.phase.done": "已与总部同步",
        "sync.phase.failed": "同步失败",
        "sync.refused": "总部未采纳",
        "sync.refused.by": "{who} 的“{action}”",
        "sync.refused.rejected_conflict": "他人已先处理",
        "sync.refused.rejected_invalid": "总部认为填写有误",
        "sync.refused.rejected_invalid.field": "总部认为“{field}”有误",
        "sync.refused.forbidden": "无权执行",
        "sync.refused.why": "{result}：{reason}",
        "sync.earlier_error": "原因由旧版本应用记录，无法显示",
        "sync.connection": "连接",
        "sync.server": "总部：{url}",
        "sync.device": "设备：{id}",
        "sync.enrolment": "登记本设备",
        "sync.enrol_help": (
            "在总部“设备”页面为此人生成登记码；扫描或粘贴其链接，或输入总部地址和登记码。"
        ),
        "sync.address": "总部地址或登记链接",
        "sync.code": "一次性登记码",
        "sync.enrol": "登记",
        "sync.enrol_failed": "登记失败：{reason}",
        "sync.enrolled": "已在总部登记",
        "hazards.title": "隐患",
        "hazards.tab_list": "隐患清单",
        "hazards.tab_rates": "整改率",
        "hazards.filter_workshop": "车间",
        "hazards.filter_grade": "等级",
        "hazards.filter_risk": "风险",
        "hazards.filter_category": "类别",
        "hazards.all": "全部",
        "hazards.filter": "筛选",
        "hazards.filters": "筛选（{n}）",
        "hazards.overdue_only": "仅看逾期",
        "hazards.show_open": "未销号",
        "hazards.show_closed": "已销号",
        "hazards.count": "共 {n} 项",
        "hazards.page": "第 {page} / {pages} 页",
        "hazards.prev": "上一页",
        "hazards.next": "下一页",
        "hazards.age": "发现 {days} 天",
        "hazards.days_left": "剩余 {days} 天",
        "hazards.due_today": "今天到期",
        "detail.back": "返回清单",
        "detail.found": "{date} 由 {who} 发现",
        "detail.deadline": "整改期限 {date}",
        "detail.origin": "来源检查项：{item}",
        "detail.reference": "依据：{ref}",
        "detail.before": "整改前",
        "detail.after": "整改后",
        "photo.label": "{kind}照片 {n}",
        "photo.coming": "{n} 张照片将在下次同步后显示",
        "photo.loading": "正在从总部获取原图…",
        "photo.offline": "联网后可看原图：当前为缩略图",
        "photo.close": "关闭",
        "detail.plan": "五定整改方案",
        "detail.no_plan": "尚未下达整改方案。",
        "detail.extensions": "延期记录",
        "detail.extension_row": "{previous} → {new}：{reason}（{who}）· {status}",
        "detail.timeline": "处理记录",
        "detail.actions": "操作",
        "detail.no_actions": "您当前不能对此隐患操作。",
        "detail.major_flag": "重大隐患：总部跟踪",
        "detail.conflict": "未生效：{reason}",
        "detail.conflict_pair": "{who} 的“{mine}”未生效：{winner_who} 已先“{winner}”。",
        "detail.verify_refused": "您是整改人或整改责任人，须由他人验收。",
        "detail.closing_needs": "销号前须：{what}",
        "detail.needs_governance": "治理方案经主要负责人批准",
        "detail.needs_signoff": "督办部门同意销号",
        "detail.on_the_spot": "{who} 已立即整改",
        "detail.opinion": "验收意见：{opinion}",
        "detail.funds_spent": "实际投入资金：{funds}",
        "detail.major_path": "重大事故隐患：管控、治理、报告",
        "detail.control": "临时管控：{kind}（{who}，{at}）",
        "detail.no_control": "尚未登记临时管控措施。",
        "detail.governance": "治理方案",
        "detail.no_governance": "尚无治理方案。",
        "detail.governance_submitted": "{who} 提交，{at}",
        "detail.governance_approved": "{who} 批准，{at}",
        "detail.governance_waiting": "待主要负责人批准",
        "detail.report": "{date} 由 {who} 报告 {authority}",
        "detail.no_report": "尚未向监管部门报告。",
        "detail.supervision": "挂牌督办：{body}，督办期限 {date}",
        "detail.signed_off": "{who} 于 {date} 同意销号",
        "detail.not_signed_off": "督办部门尚未同意销号。",
        "detail.voided": "已作废：{reason}",
        "detail.not_registered": "已在本设备作废：总部未登记此隐患（{reason}）。"
        "如隐患仍存在，请重新上报。",
        "detail.not_synced": "未同步",
        "plan.deadline": "整改期限",
        "form.send": "提交",
        "form.optional": "（选填）",
        "form.cancel": "取消",
        "form.required": "请填写：{field}",
        "form.bad_date": "日期格式应为 YYYY-MM-DD：{field}",
        "form.date_label": "{field}（YYYY-MM-DD）",
        "error.unexpected": "出现问题，详情已记入应用日志。",
        "form.need_photo": "至少添加一张照片",
        "form.done": "已保存：{action}",
        "form.refused": "无法执行：{reason}",
        "dash.title": "{month} 隐患整改",
        "dash.prev": "上个月",
        "dash.next": "下个月",
        "dash.rate": "整改率",
        "dash.general": "一般隐患",
        "dash.major": "重大隐患",
        "dash.on_time": "按期整改率",
        "dash.overdue": "当前逾期",
        "dash.overdue_major": "其中重大 {n}",
        "dash.found_closed": "发现 {found}，销号 {closed}",
        "dash.at_month_end": "月末上报：{rate}",
        "dash.by_workshop": "各车间未整改",
        "dash.by_category": "各类别未整改",
        "dash.hazards_to_be": "特种设备证书：潜在隐患",
        "dash.none": "无未整改隐患。",
    },
}


#: Every string the app shows, by language: the vocabulary's words and the screens' own.
STRINGS: dict[str, dict[str, str]] = {
    lang: {**vocabulary.words(lang), **own} for lang, own in SCREEN.items()
}


class Translator:
    def __init__(self, lang: str = "en") -> None:
        self.lang = lang if lang in STRINGS else "en"

    def __call__(self, key: str, **values: object) -> str:
        text = STRINGS[self.lang].get(key) or STRINGS["en"].get(key, key)
        return text.format(**values) if values else text

    def unit(self, code: str | None) -> str:
        return vocabulary.unit(code, self.lang)

    def error(self, exc: BaseException) -> str:
        """What went wrong, for the person, in this language: the code and params of a service,
        sync or export error, why a photo was refused or the fonts could not draw; any other
        error only as "something went wrong" (its text is for the log: it may be English, or
        hold a file path)."""
        if isinstance(exc, ServiceError):
            params = {
                name: self.reason(value) if isinstance(value, Reason) else value
                for name, value in exc.params.items()
            }
            return self(f"error.{exc.code.value}", **params)
        if isinstance(exc, SyncError):
            return self(f"sync_error.{exc.code.value}", **said_in(exc.params, self.lang))
        if isinstance(exc, ExportError):
            return self(f"export_error.{exc.code.value}", **exc.params)
        if isinstance(exc, MissingGlyphsError):
            return self("export_error.missing_glyphs", characters=" ".join(exc.characters))
        if isinstance(exc, FontNotFoundError):
            return self("export_error.font_missing")
        if isinstance(exc, PhotoError):
            return self(f"photo_error.{exc.code}")
        return self("error.unexpected")

    def reason(self, why: Reason) -> str:
        """Why the state machine refused a command, in this language."""
        return vocabulary.refusal(why, self.lang)

    def not_applied(self, event: HazardEvent) -> str:
        """Why a timeline's event was not applied: its reason, else (an event from an HQ that
        kept only English) its result in words."""
        return self.refusal(event.result, event.why)

    def refusal(self, result: str, why: dict[str, Any] | None) -> str:
        """A command HQ did not apply: its reason (``Reason.to_dict()``) when this version can
        say it, else its result in words."""
        reason = Reason.from_dict(why)
        return self.reason(reason) if reason else self(f"result.{result}")

    def when(self, iso: str | None) -> str:
        """A stored time for people: local, in this language; "never" when there is none."""
        return local_time(iso, self.lang) if iso else self("home.never")


_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def local_time(iso: str, lang: str, now: datetime | None = None) -> str:
    """A stored time as people read it, in the device's time zone: "27 Nov 13:48" or
    "11月27日 13:48", with the year when it is not this year's; a date alone has no time."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    has_time = "T" in iso or " " in iso
    if has_time and moment.tzinfo is not None:
        moment = moment.astimezone()
    this_year = (now or datetime.now()).year == moment.year
    if lang == "zh":
        text = f"{moment.month}月{moment.day}日"
        text = text if this_year else f"{moment.year}年{text}"
    else:
        text = f"{moment.day} {_MONTHS_EN[moment.month - 1]}"
        text = text if this_year else f"{text} {moment.year}"
    return f"{text} {moment:%H:%M}" if has_time else text


def language_from_locale(locale: str | None) -> str:
    return "zh" if (locale or "").lower().startswith("zh") else "en"
