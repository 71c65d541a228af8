"""Every problem code gongshi reports, declared once: its usual severity and a title in Chinese and English.

A `Problem` with a code that is not declared here is a bug (it raises). README's tables of codes and the clerk
guide's are checked against this registry by tests/test_codes.py. Refusals of the signature and history are
errors; a local preview (`allow_unsigned`) and `gongshi validate` report them as warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    title: str
    title_en: str
    stage: str  # where it is found: read, schema, package, rules, privacy, trust, form, supervision


def _codes(stage: str, severity: str, rows: str) -> dict[str, Code]:
    found = {}
    for line in rows.strip().splitlines():
        code, title, title_en = (part.strip() for part in line.split("|"))
        found[code] = Code(code, severity, title, title_en, stage)
    return found


CODES: dict[str, Code] = {
    **_codes("read", WARNING, """
        encoding-repaired | GBK 编码已转为 UTF-8 | GBK/GB18030 file converted to UTF-8
        bom-removed | 去掉了字节顺序标记 | UTF-8 byte-order mark removed
        line-endings-repaired | 换行符已统一 | CRLF line ends repaired
        empty-column-removed | 去掉了空列 | empty trailing column removed
        blank-row-removed | 去掉了空行 | blank row removed
        header-repaired | 表头已对应到字段 | header mapped to its field
        columns-reordered | 列的顺序已调整 | columns put in schema order
        value-repaired | 值已修复 | value repaired
        column-added | 新增的列读作未载明 | newer column read as not stated
    """),
    **_codes("read", ERROR, """
        code-mangled | 代码丢了位数 | code lost digits
        encoding-error | 编码无法读取 | neither UTF-8 nor GBK
        format-error | CSV 格式错误 | malformed CSV
        blank-header | 没有表头 | no header row
        too-many-rows | 行数超过上限 | more rows than allowed
        file-too-large | 文件超过大小上限 | file over the size limit
        incorrect-label | 列名写错 | wrong column name
        missing-label | 缺少列 | missing column
        extra-label | 多出列 | extra column
        duplicate-label | 列名重复 | repeated column
        blank-label | 列名为空 | blank column name
        missing-cell | 单元格缺少 | row has fewer cells than the header
        extra-cell | 单元格多出 | row has more cells than the header
        blank-row | 空行 | blank row
    """),
    **_codes("schema", ERROR, """
        type-error | 类型不对 | value of the wrong type
        constraint-error | 不符合约束 | value breaks a constraint
        unique-error | 值重复 | value repeats an earlier row
        primary-key-error | 记录重复 | key repeats an earlier row
        foreign-key-error | 引用找不到 | reference not found
        data-error | 数据问题 | other data problem
    """),
    **_codes("package", ERROR, """
        package-missing | 没有 datapackage.json | no datapackage.json
        package-invalid-json | datapackage.json 写坏了 | datapackage.json is not valid JSON
        county-code-invalid | 县代码不对 | county code invalid
        county-code-mismatch | 县代码与文件夹名不一致 | county code differs from the folder name
        resource-missing | 缺少数据表 | resource missing
        file-missing | 找不到文件 | file missing
        unsafe-path | 文件路径不安全 | unsafe resource path
        package-setting-invalid | 数据包设置不对 | package setting invalid
        attachment-unsupported | 附件的文件类型不能发布 | attachment of a kind that cannot be checked
    """),
    **_codes("package", WARNING, """
        resource-unknown | 不认识的数据表 | unknown resource ignored
        schema-outdated | 表结构是旧的 | embedded schema out of date
    """),
    **_codes("rules", ERROR, """
        reference-table-missing | 引用的表不在数据包里 | a referenced table is missing
        allocation-overspent | 资金超支 | allocation overspent
        amount-fraction-of-fen | 金额不到一分 | amount with a fraction of a fen
        notice-period-too-short | 公示期太短 | notice period too short
        date-order | 日期先后不对 | dates out of order
        region-outside-county | 区划不属于本县 | region outside the county
        region-parent-missing | 找不到上级区划 | parent region missing
        region-parent-mismatch | 上级区划填错 | wrong parent region
        region-level-mismatch | 层级与代码不符 | level does not match the code
        county-region-missing | 没有本县自己的一行 | no row for the county itself
        fund-name-missing | 其他资金没有写名称 | other fund without its name
        fund-level-conflict | 资金级次前后矛盾 | fund level contradicts its kind
        household-total-with-name | 汇总行填了姓名 | a township total row with a household name
        indicators-incomplete | 绩效指标不全 | performance indicators incomplete
        score-over-weight | 得分高于分值 | score above the weight
        claim-before-acceptance | 验收前申请结算 | final payment claimed before acceptance
        claims-over-funds | 报账超过项目资金 | claims above the project's funds
        acceptance-order | 验收层级顺序不对 | acceptance levels out of order
    """),
    **_codes("rules", WARNING, """
        project-underfunded | 项目资金不足 | project funds below its budget
        project-overfunded | 项目资金多于总投资 | project funds above its budget
        division-unknown | 区划代码不在国家名单中 | division code not in the national list
        phone-invalid | 电话号码打不通 | phone number cannot be dialled
        not-stated | 原公告未载明 | not stated in the notice
        cannot-judge | 缺少事实，无法判断 | a rule cannot be judged without a fact
        spending-over-budget | 实际支出超过总投资 | actual spending above the budget
        notice-after-project-end | 实施前公示晚于建设期限 | before-start notice after the project's end
        notice-before-completion | 竣工公告早于竣工 | completion notice before the completion
    """),
    **_codes("privacy", ERROR, """
        id-number-published | 有身份证号码 | personal ID number
        phone-number-published | 有个人手机号码 | personal mobile number
        bank-account-published | 有银行账号 | bank account number
        unmasked-name | 姓名没有脱敏 | name not masked
        file-unreadable | 文件无法读取 | file cannot be read
    """),
    **_codes("trust", ERROR, """
        signature-missing | 没有签名 | package not signed
        signature-invalid | 签名无效 | signature invalid
        signature-copied | 签名是复制来的 | signature copied from another county
        signer-not-allowed | 签名密钥不在信任文件中 | key not allowed for this county
        key-expired | 密钥不在有效期内 | key outside its validity
        key-revoked | 密钥已吊销 | key revoked
        hash-missing | 没有记录哈希 | size and hash not recorded
        hash-mismatch | 文件在签名后被改过 | file changed after signing
        trust-file-missing | 没有信任文件 | trust file missing
        trust-file-unsigned | 信任文件没有省级签名 | trust file not signed
        trust-file-invalid | 信任文件的签名无效 | trust file signature invalid
        release-missing | 没有发布记录 | not in the release log
        release-log-broken | 发布记录断链 | release log broken
        release-log-unsigned | 发布记录没有签名 | release log not signed
        release-log-invalid | 发布记录的签名无效 | release log signature invalid
        release-archive-mismatch | 存档与发布记录不符 | archived version differs from the log
    """),
    **_codes("form", ERROR, """
        form-unreadable | 表格文件打不开 | spreadsheet cannot be read
        form-unknown | 认不出是哪一张表 | not one of the standard forms
        form-other-county | 是别的县的表 | a form of another county
        form-package-invalid | 数据包读不出来 | the package cannot be read
        row-exists | 已有这条记录，内容不同 | record exists with other values
        form-duplicate-row | 表里有两行是同一条记录 | the same record twice in the form
        form-ignored-data | 这里的内容不会被导入 | content outside the form's cells
        form-formula | 公式没有算出的值 | formula without a value
        form-table-unrepaired | 数据表还有没保存的修复 | the table has repairs not yet saved
        form-not-importable | 这张表只打印，不导入 | a form for printing only
    """),
    **_codes("supervision", WARNING, """
        allocation-notice-late | 公告不及时 | allocation result announced late
        before-start-notice-missing | 实施前未公示 | no before-start notice, or work started before it ended
        after-completion-notice-missing | 完工后未公告 | no completion notice in time
        upstream-transfer-late | 上级资金到县滞后 | money reached the county late
        project-start-late | 开工滞后 | project started late
        funds-unassigned | 资金未落实到项目 | funds not assigned to projects
        funds-idle | 资金闲置 | funds idle over a year
        funds-undisbursed | 报账拨付滞后 | funds not paid out after acceptance
        spot-check-below-minimum | 抽查比例不足 | county spot checks below the minimum
        accepted-before-completion | 未完工先验收 | accepted before completion
        supervisor-missing | 监管责任未落实 | no supervisor, or a letter signed after the start
        inspection-frequency | 督查频次不足 | inspections less often than the rule
        rectification-overdue | 逾期未整改 | rectification overdue
        rectification-escalate | 多次督促仍不整改 | still open after repeated reminders
        evaluation-missing | 绩效评估未开展 | evaluation missing
    """),
    **_codes("form", WARNING, """
        form-outdated | 做表之后数据包改过 | package changed since the form was made
        form-unchecked | 认不出是哪个县的表 | the form's county cannot be checked
        form-hidden-data | 隐藏的行或列里有内容 | content in a hidden row or column
    """),
    **_codes("broadcast", WARNING, """
        led-not-gb2312 | 条屏字库里没有的字 | a character LED boards cannot draw
        led-too-long | 条屏文字太长 | LED text over the controller's limit
        sms-character-replaced | 短信里有会被弄乱的字符 | SMS characters carriers garble
        sms-two-parts | 短信按两条计费 | SMS billed as two parts
        sms-too-long | 短信超过两条 | SMS longer than two parts
        wechat-image-missing | 微信封面没有生成 | no WeChat cover or card
    """),
}


def declared(code: str) -> Code:
    """The declaration of a code; KeyError for one that was never declared (a bug, not a user's mistake)."""
    return CODES[code]


STAGES = {"read": "reading a table", "schema": "the Table Schema", "package": "the package", "rules": "the rules",
          "privacy": "personal data", "trust": "signature and history",
          "form": "a filled form (gongshi import)", "broadcast": "TV, LED and SMS",
          "supervision": "supervision (gongshi supervise; never blocks publication)"}
BEGIN, END = "<!-- codes: made from plugins/gongshi/codes.py by `invoke codes` -->", "<!-- /codes -->"


def markdown() -> str:
    """The registry as README's table of every code."""
    rows = ["| code | severity | 中文 | English | found in |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| `{c.code}` | {c.severity} | {c.title} | {c.title_en} | {STAGES[c.stage]} |" for c in CODES.values()]
    return "\n".join(rows)


def in_readme(text: str) -> str:
    """README's text with its table of codes made anew from the registry."""
    head, rest = text.split(BEGIN, 1)
    return f"{head}{BEGIN}\n{markdown()}\n{END}{rest.split(END, 1)[1]}"
