"""Every domain word in Chinese and English, said once: hazard statuses, grades, risks,
categories, roles, commands and their results, extension statuses, control kinds, answer
outcomes, payload fields and units, keyed by the core enums (fields by name, units by code); why
the state machine refuses a command (``workflow.Refusal``); and the errors people are told about,
by code: the device's use cases, sync, exports, photos.

The app (``ui.i18n``), the exports (``exports.words``) and HQ's pages (``server.i18n``) read
these words from here and keep only their own screen's strings, so a status reads the same on
the phone, in the ledger and at HQ. Pure data: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

from inspect_app.core.checklist import Category, Grade, Risk
from inspect_app.core.evaluation import Outcome
from inspect_app.core.hazard import ControlKind, ExtensionStatus, HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import CommandResult, CommandType, Reason, Refusal

LANGUAGES: tuple[str, ...] = ("zh", "en")


class Word(NamedTuple):
    en: str
    zh: str


STATUS: dict[HazardStatus, Word] = {
    HazardStatus.OPEN: Word("Registered", "待下达"),
    HazardStatus.ASSIGNED: Word("Plan assigned", "已下达"),
    HazardStatus.RECTIFYING: Word("Rectifying", "整改中"),
    HazardStatus.SUBMITTED: Word("Awaiting verification", "待验收"),
    HazardStatus.CLOSED: Word("Closed", "已销号"),
    HazardStatus.VOIDED: Word("Voided", "已作废"),
}

GRADE: dict[Grade, Word] = {
    Grade.GENERAL: Word("General", "一般"),
    Grade.MAJOR: Word("Major", "重大"),
}

RISK: dict[Risk, Word] = {
    Risk.RED: Word("Red", "红"),
    Risk.ORANGE: Word("Orange", "橙"),
    Risk.YELLOW: Word("Yellow", "黄"),
    Risk.BLUE: Word("Blue", "蓝"),
}

CATEGORY: dict[Category, Word] = {
    Category.FIRE: Word("Fire safety", "消防安全"),
    Category.ELECTRICAL: Word("Electrical safety", "用电安全"),
    Category.SPECIAL_EQUIPMENT: Word("Special equipment", "特种设备"),
    Category.FLOOD_SEASON: Word("Flood season", "防汛"),
    Category.ENVIRONMENT: Word("Workplace environment", "作业环境"),
    Category.OTHER: Word("Other", "其他"),
}

ROLE: dict[Role, Word] = {
    Role.INSPECTOR: Word("Inspector", "检查员"),
    Role.WORKSHOP_HEAD: Word("Workshop head", "车间主任"),
    Role.HQ_ADMIN: Word("HQ administrator", "总部管理员"),
    Role.SAFETY_OFFICER: Word("Safety officer", "安全管理人员"),
    Role.PRINCIPAL: Word("Principal", "主要负责人"),
}

#: Commands in words, as a button offers them and a timeline lists them.
ACTION: dict[CommandType, Word] = {
    CommandType.CREATE: Word("Registered", "登记隐患"),
    CommandType.ASSIGN_FIVE_FIXES: Word("Assign five fixes", "下达五定方案"),
    CommandType.REQUEST_EXTENSION: Word("Request extension", "申请延期"),
    CommandType.APPROVE_EXTENSION: Word("Approve extension", "批准延期"),
    CommandType.REFUSE_EXTENSION: Word("Refuse extension", "驳回延期"),
    CommandType.SET_INTERIM_CONTROL: Word("Set interim control", "登记临时管控措施"),
    CommandType.SUBMIT_GOVERNANCE: Word("Submit governance plan", "提交治理方案"),
    CommandType.APPROVE_GOVERNANCE: Word("Approve governance plan", "批准治理方案"),
    CommandType.RECORD_REPORT: Word("Record report to the authority", "登记向监管部门报告"),
    CommandType.RECORD_SUPERVISION: Word("Record official supervision", "登记挂牌督办"),
    CommandType.RECORD_SUPERVISION_SIGNOFF: Word("Record the authority's sign-off", "登记督办销号"),
    CommandType.START_RECTIFICATION: Word("Start rectification", "开始整改"),
    CommandType.SUBMIT_RECTIFIED: Word("Submit as rectified", "提交整改完成"),
    CommandType.FIX_ON_THE_SPOT: Word("Fixed on the spot", "立即整改"),
    CommandType.VERIFY_PASS: Word("Verify: pass and close", "验收通过并销号"),
    CommandType.VERIFY_FAIL: Word("Verify: fail", "验收不通过"),
    CommandType.REOPEN: Word("Reopen", "重新打开"),
    CommandType.COMMENT: Word("Comment", "评论"),
    CommandType.ADD_PHOTO: Word("Add photo", "补充照片"),
    CommandType.VOID: Word("Void", "作废"),
}

RESULT: dict[CommandResult, Word] = {
    CommandResult.APPLIED: Word("applied", "已生效"),
    CommandResult.REJECTED_CONFLICT: Word("conflict, not applied", "冲突未生效"),
    CommandResult.FORBIDDEN: Word("not allowed", "无权限"),
    CommandResult.INVALID: Word("not valid", "内容无效"),
}

#: An extension request's state; ``{who}`` is the person who decided it.
EXTENSION: dict[ExtensionStatus, Word] = {
    ExtensionStatus.REQUESTED: Word("waiting for approval", "待批准"),
    ExtensionStatus.APPROVED: Word("approved by {who}", "{who} 已批准"),
    ExtensionStatus.REFUSED: Word("refused by {who}", "{who} 已驳回"),
}

#: The choices of a payload's choice field (an interim control's kind).
CHOICE: dict[ControlKind, Word] = {
    ControlKind.ISOLATED: Word("Isolated", "隔离"),
    ControlKind.OUT_OF_SERVICE: Word("Out of service", "停用"),
}

#: An answer's outcome (and a pass/fail answer's value, which reads the same).
OUTCOME: dict[Outcome, Word] = {
    Outcome.PASS: Word("Pass", "合格"),
    Outcome.FAIL: Word("Fail", "不合格"),
    Outcome.NA: Word("N/A", "不适用"),
    Outcome.RECORDED: Word("Recorded", "已记录"),
    Outcome.UNANSWERED: Word("Not answered", "未检查"),
    Outcome.INVALID: Word("Invalid", "无效"),
}

#: The fields of every command payload (``core.commands``), as forms and records label them.
FIELD: dict[str, Word] = {
    "workshop_id": Word("Workshop", "车间"),
    "description": Word("Description", "隐患描述"),
    "grade": Word("Grade", "等级"),
    "risk": Word("Risk", "风险"),
    "category": Word("Category", "类别"),
    "area_id": Word("Area", "区域"),
    "asset_id": Word("Equipment", "设备"),
    "inspection_id": Word("Inspection", "检查记录"),
    "checklist_id": Word("Checklist", "检查表"),
    "item_id": Word("Item", "检查项"),
    "instance_tag": Word("Tag", "编号"),
    "reference": Word("Reference", "依据"),
    "suggested_fix": Word("Suggested fix", "建议整改措施"),
    "major_rule": Word("Graded major by", "重大隐患判定依据"),
    "responsible_id": Word("Responsible person", "责任人"),
    "measures": Word("Measures", "整改措施"),
    "funds": Word("Funds", "整改资金"),
    "deadline": Word("Deadline", "整改期限"),
    "contingency": Word("Contingency plan", "应急预案"),
    "reason": Word("Reason", "原因"),
    "new_deadline": Word("New deadline", "新期限"),
    "note": Word("Note", "备注"),
    "text": Word("Comment", "评论内容"),
    "photos": Word("Photos", "照片"),
    "opinion": Word("Verification opinion", "验收意见"),
    "funds_spent": Word("Funds spent", "实际投入资金"),
    "kind": Word("Control", "管控方式"),
    "targets": Word("Targets and tasks", "治理的目标和任务"),
    "methods": Word("Methods and measures", "采取的方法和措施"),
    "funds_materials": Word("Funds and materials", "经费和物资的落实"),
    "organisation": Word("Organisation and people", "负责治理的机构和人员"),
    "safety_measures": Word("Safety measures", "安全措施"),
    "emergency_plan": Word("Emergency plan", "应急预案"),
    "authority": Word("Authority reported to", "报告的监管部门"),
    "reported_on": Word("Reported on", "报告日期"),
    "body": Word("Supervising body", "督办单位"),
    "signed_off_by": Word("Signed off by (the authority's official)", "销号签发人（督办部门）"),
    "signed_off_on": Word("Signed off on", "销号日期"),
    "sign_off_note": Word("Sign-off note", "销号说明"),
}

#: Units as checklists write them (codes); a unit not listed is shown as written (SI symbols
#: such as MPa, mA, lx read the same in both languages).
UNIT: dict[str, Word] = {
    "bags": Word("bags", "袋"),
    "h": Word("h", "小时"),
    "s": Word("s", "秒"),
    "cm": Word("cm", "厘米"),
    "mm": Word("mm", "毫米"),
}

#: Why the state machine refuses a command, by ``workflow.Refusal``; the values in braces are
#: the reason's params, said with the words of ``REFUSAL_PARAMS``.
REFUSAL: dict[Refusal, Word] = {
    Refusal.UNKNOWN_ACTOR: Word("unknown actor", "操作人身份无法识别"),
    Refusal.UNKNOWN_HAZARD: Word("unknown hazard", "没有这项隐患"),
    Refusal.HAZARD_EXISTS: Word("the hazard already exists", "这项隐患已登记"),
    Refusal.OUTSIDE_WORKSHOPS: Word(
        "the hazard is outside your workshops", "这项隐患不在您负责的车间"
    ),
    Refusal.ROLE_MAY_NOT: Word("your role may not {action}", "您的岗位不能执行“{action}”"),
    Refusal.RECTIFIER_VERIFIES: Word(
        "the person who rectified a hazard cannot verify it", "整改人不能验收自己整改的隐患"
    ),
    Refusal.RESPONSIBLE_VERIFIES: Word(
        "the person responsible for the fix cannot verify it", "整改责任人不能验收此隐患"
    ),
    Refusal.REQUESTER_DECIDES: Word(
        "the person who asked for an extension cannot decide on it", "申请延期的人不能审批此申请"
    ),
    Refusal.NEXT_LEVEL_DECIDES: Word(
        "an extension is decided by the next level up", "延期须由上一级审批"
    ),
    Refusal.WRONG_GRADE: Word("only for a {grade} hazard", "仅适用于{grade}隐患"),
    Refusal.EXTENSION_WAITING: Word(
        "an extension request is waiting for a decision", "已有延期申请等待审批"
    ),
    Refusal.EXTENSIONS_USED: Word(
        "a hazard gets at most {n} extensions", "每项隐患最多延期 {n} 次"
    ),
    Refusal.NO_EXTENSION_WAITING: Word(
        "no extension request is waiting for a decision", "没有等待审批的延期申请"
    ),
    Refusal.NO_GOVERNANCE: Word("no governance plan has been submitted", "尚未提交治理方案"),
    Refusal.GOVERNANCE_APPROVED: Word(
        "the governance plan is already approved", "治理方案已经批准"
    ),
    Refusal.NOT_SUPERVISED: Word(
        "the hazard is not under official supervision", "这项隐患未被挂牌督办"
    ),
    Refusal.SIGNED_OFF: Word(
        "the supervising authority has already signed off", "督办部门已经同意销号"
    ),
    Refusal.MAJOR_NEEDS_GOVERNANCE: Word(
        "a major hazard closes only once the principal approved its governance plan",
        "重大隐患须待主要负责人批准治理方案后才能销号",
    ),
    Refusal.SUPERVISED_NEEDS_SIGNOFF: Word(
        "a supervised hazard closes only after the authority's sign-off",
        "挂牌督办的隐患须待督办部门同意后才能销号",
    ),
    Refusal.STATUS_CHANGED: Word(
        "the hazard is now {now}, not {expected}", "这项隐患现为“{now}”，而非“{expected}”"
    ),
    Refusal.VERSION_CHANGED: Word(
        "the hazard was decided on again (version {version}) since this was decided on "
        "version {base}",
        "在此操作（基于第 {base} 版）之后，这项隐患已被再次处理（现为第 {version} 版）",
    ),
    Refusal.NOT_IN_STATUS: Word(
        "{action} is not allowed when the hazard is {status}",
        "隐患处于“{status}”时不能执行“{action}”",
    ),
    Refusal.INVALID_VALUE: Word("“{field}” is not valid", "“{field}”填写无效"),
}

#: What a device's use case refuses, by the code it raises (``services.errors.ErrorCode``); the
#: values in braces are the error's params.
ERROR: dict[str, Word] = {
    "no_inspection": Word("no inspection {id}", "本设备上没有检查记录 {id}"),
    "pick_area": Word(
        "pick the area: this checklist reads limits set per area ({limits})",
        "请选择区域：此检查表读取按区域设定的限值（{limits}）",
    ),
    "limit_not_set": Word(
        "the site file sets no {limits} for {where}: ask HQ to add it",
        "厂区数据没有为 {where} 设定 {limits}：请联系总部补充",
    ),
    "pick_asset": Word(
        "pick the equipment this checklist is run against", "请选择本检查表针对的设备"
    ),
    "answer_first": Word(
        "answer the item before describing the finding", "请先回答此项，再描述隐患"
    ),
    "tag_missing": Word("enter the tag number of this unit", "请输入此设备的编号"),
    "tag_taken": Word("tag {tag} is already used in this section", "编号 {tag} 在本部分已使用"),
    "read_only": Word("a submitted inspection is read-only", "已提交的检查只读，不能修改"),
    "discard_submitted": Word("a submitted inspection cannot be discarded", "已提交的检查不能放弃"),
    "sign_to_submit": Word("sign with your name to submit", "请签名后提交"),
    "incomplete": Word("the inspection is not complete", "检查尚未完成"),
    "finding_refused": Word("cannot register the finding: {reason}", "无法登记隐患：{reason}"),
    "finding_invalid": Word(
        "cannot register the finding of {item}: {field}: {reason}",
        "无法登记检查项 {item} 的隐患：{field}：{reason}",
    ),
    "not_signed_in": Word("choose who you are in Settings first", "请先在“设置”中选择使用人"),
    "master_data_invalid": Word(
        "the master data cannot be used:\n{detail}", "基础数据无法使用：\n{detail}"
    ),
}

#: Why a sync or an enrolment failed, by ``sync.errors.SyncErrorCode``; the values in braces are
#: the error's params.
SYNC_ERROR: dict[str, Word] = {
    "not_hq": Word(
        "the answer from {url} is not HQ's ({kind}); is the address right?",
        "{url} 的应答不是总部发出的（{kind}）；请检查地址是否正确",
    ),
    "certificate": Word("HQ's certificate is not trusted", "总部的证书不受信任"),
    "no_connection": Word(
        "could not reach HQ after {tries} tries: no connection to HQ",
        "尝试 {tries} 次仍无法连接总部：没有网络连接",
    ),
    "connect_timeout": Word(
        "could not reach HQ after {tries} tries: HQ did not answer (connection timed out)",
        "尝试 {tries} 次仍无法连接总部：总部没有应答（连接超时）",
    ),
    "read_timeout": Word(
        "could not reach HQ after {tries} tries: HQ took too long to answer",
        "尝试 {tries} 次仍无法连接总部：总部应答太慢",
    ),
    "cut_short": Word(
        "could not reach HQ after {tries} tries: HQ's answer was cut short",
        "尝试 {tries} 次仍无法连接总部：总部的应答不完整",
    ),
    "hq_trouble": Word(
        "could not reach HQ after {tries} tries: HQ answered {status}",
        "尝试 {tries} 次仍无法完成同步：总部返回错误 {status}",
    ),
    "network": Word(
        "could not reach HQ after {tries} tries: the network failed",
        "尝试 {tries} 次仍无法连接总部：网络出错",
    ),
    "device_revoked": Word(
        "HQ no longer accepts this device; enrol it again", "总部不再接受本设备，请重新登记"
    ),
    "device_refused": Word("HQ refused this device", "总部拒绝了本设备"),
    "request_rejected": Word("HQ refused the request ({status})", "总部拒绝了此请求（{status}）"),
    "not_enrolled": Word("this device is not enrolled with HQ yet", "本设备尚未在总部登记"),
    "bad_address": Word(
        "the server address must start with https:// (or http:// on a test rig)",
        "总部地址须以 https:// 开头（测试环境可用 http://）",
    ),
    "enter_address": Word(
        "enter HQ's address, e.g. https://hq.example.com",
        "请输入总部地址，例如 https://hq.example.com",
    ),
    "enter_code": Word(
        "enter the one-time code from HQ's Devices page", "请输入总部“设备”页面生成的一次性登记码"
    ),
    "code_not_accepted": Word(
        "the enrolment code was not accepted: it is mistyped, used already or expired",
        "登记码未被接受：可能输错、已用过或已过期",
    ),
    "sync_first": Word(
        "sync first: {waiting} items still wait to go to HQ under the current enrolment",
        "请先同步：还有 {waiting} 项要以当前登记发送到总部",
    ),
    "revoked_waiting": Word(
        "HQ revoked this device: its {waiting} waiting items cannot be sent under a new "
        "enrolment; ask an HQ admin",
        "总部已停用本设备：待发送的 {waiting} 项不能以新的登记发送，请联系总部管理员",
    ),
    "other_person": Word(
        "this code is for {person}, but the items waiting here are {before}'s: ask HQ for a "
        "code for {before}",
        "此登记码属于 {person}，但本设备待发送的是 {before} 的记录：请向总部申请 {before} 的登记码",
    ),
    "photo_mismatch": Word(
        "the photo HQ sent does not match its hash", "总部发来的照片与其校验值不符"
    ),
    "restored_twice": Word(
        "HQ was restored twice during one sync; sync again", "同步期间总部两次恢复数据，请再次同步"
    ),
    "command_order": Word(
        "HQ and this device disagree on the command order", "总部与本设备的记录顺序不一致"
    ),
    "photos_gone": Word(
        "HQ keeps asking for photos this device no longer has", "总部一直索要本设备已没有的照片"
    ),
    "unexpected": Word("sync failed unexpectedly", "同步意外失败，详情已记入应用日志"),
}

#: Why an export was not made, by ``exports.ExportErrorCode`` and, for the app, the fonts' and
#: the file system's errors; the values in braces are the error's params.
EXPORT_ERROR: dict[str, Word] = {
    "no_inspection": Word("no inspection {id}", "本设备上没有检查记录 {id}"),
    "checklist_missing": Word(
        "checklist {checklist} version {version} is not on this device",
        "本设备上没有检查表 {checklist} 的第 {version} 版",
    ),
    "not_a_period": Word(
        "{text} is not a period: write a year (2026) or a quarter (2026Q3)",
        "{text} 不是统计期间：请写年份（2026）或季度（2026Q3）",
    ),
    "no_data_dir": Word("no data directory at {path}", "数据目录不存在：{path}"),
    "cannot_write": Word(
        "cannot write {path}: not a file in an existing directory",
        "无法写入 {path}：它不是已有目录中的文件",
    ),
    "data_unusable": Word("the device's data cannot be opened", "无法打开本设备的数据"),
    "font_missing": Word(
        "a font the PDF needs is not installed; the details are in the app's log",
        "缺少生成 PDF 所需的字体，详情已记入应用日志",
    ),
    "missing_glyphs": Word(
        "the fonts cannot show these characters: {characters}; change the text",
        "字体无法显示这些字符：{characters}；请修改文字",
    ),
    "write_failed": Word(
        "the file could not be written; the details are in the app's log",
        "文件无法写入，详情已记入应用日志",
    ),
}

#: Why a photo was not added, by ``PhotoError.code`` (the photo pipeline's).
PHOTO_ERROR: dict[str, Word] = {
    "empty": Word("the file is empty", "文件是空的"),
    "unsupported_format": Word(
        "HEIC/HEIF photos cannot be read: set the camera to 'Most compatible' (JPEG) or pick a "
        "JPEG or PNG",
        "无法读取 HEIC/HEIF 照片：请将相机设为“兼容性最佳”（JPEG），或选择 JPEG、PNG 照片",
    ),
    "too_large": Word("the image is too large to process", "图片太大，无法处理"),
    "not_image": Word("this file is not a photo the app can read", "此文件不是本应用能读取的照片"),
    "animated": Word(
        "animated images are not supported; pick a still photo", "不支持动图，请选择静态照片"
    ),
    "truncated": Word("the photo file is incomplete (cut off)", "照片文件不完整（已截断）"),
}

#: Each kind of word: its key prefix, the enum it names (None: keyed by name or code), its table.
SECTIONS: tuple[tuple[str, type[StrEnum] | None, Mapping[str, Word]], ...] = (
    ("status", HazardStatus, STATUS),
    ("grade", Grade, GRADE),
    ("risk", Risk, RISK),
    ("category", Category, CATEGORY),
    ("role", Role, ROLE),
    ("action", CommandType, ACTION),
    ("result", CommandResult, RESULT),
    ("extension", ExtensionStatus, EXTENSION),
    ("choice", ControlKind, CHOICE),
    ("outcome", Outcome, OUTCOME),
    ("field", None, FIELD),
    ("unit", None, UNIT),
    ("refusal", Refusal, REFUSAL),
    ("error", None, ERROR),
    ("sync_error", None, SYNC_ERROR),
    ("export_error", None, EXPORT_ERROR),
    ("photo_error", None, PHOTO_ERROR),
)


def _catalogue() -> dict[str, Word]:
    return {
        f"{prefix}.{key}": word for prefix, _enum, table in SECTIONS for key, word in table.items()
    }


#: "status.open" -> Word(en, zh), for every domain word.
WORDS: Mapping[str, Word] = _catalogue()


_IN_LANGUAGE: dict[str, dict[str, str]] = {
    lang: {key: getattr(word, lang) for key, word in WORDS.items()} for lang in LANGUAGES
}


def words(lang: str) -> Mapping[str, str]:
    """Every domain word in ``lang`` ("zh" or "en"), by key ("status.open")."""
    if lang not in _IN_LANGUAGE:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return _IN_LANGUAGE[lang]


#: A refusal's params that name a domain word, and the table that says it; any other param (a
#: number) is shown as it is.
REFUSAL_PARAMS: dict[str, Mapping[str, Word]] = {
    "action": ACTION,
    "now": STATUS,
    "expected": STATUS,
    "status": STATUS,
    "grade": GRADE,
    "field": FIELD,
}


def _param(name: str, value: str | int, lang: str) -> str | int:
    table = REFUSAL_PARAMS.get(name)
    if table is None or not isinstance(value, str):
        return value
    # "photos.2" is about the photos; grades may be listed ("general/major").
    parts = [table.get(part.split(".")[0]) for part in value.split("/")]
    if not all(parts):
        return value  # a code this version has no word for: as it is
    return "/".join(getattr(word, lang) for word in parts if word)


def refusal(reason: Reason, lang: str) -> str:
    """Why the state machine refused, in ``lang``, every code among its params in words."""
    params = {name: _param(name, value, lang) for name, value in reason.params.items()}
    return getattr(REFUSAL[reason.code], lang).format(**params)


def refusal_for_logs(reason: Reason) -> str:
    """Why the state machine refused, in English with its params as codes ("verify pass"):
    what HQ logs and answers a push with."""
    params = {
        name: value.replace("_", " ") if name == "action" and isinstance(value, str) else value
        for name, value in reason.params.items()
    }
    return REFUSAL[reason.code].en.format(**params)


def unit(code: str | None, lang: str) -> str:
    """A checklist's unit in ``lang``; one the catalogue does not know is shown as written."""
    word = UNIT.get(code or "")
    return getattr(word, lang) if word else (code or "")
