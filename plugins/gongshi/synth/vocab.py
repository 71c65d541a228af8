"""Names and texts of the fictional demo county: townships, villages, units and kinds of project."""

from __future__ import annotations

from dataclasses import dataclass

# (segment, name, villages); segments follow the real rule 100-199 镇, 200-399 乡.
TOWNSHIPS = (
    ("100", "桂花镇", ("红星村", "金竹村", "清泉村", "桃园村", "柳湾村", "马鞍村", "凤凰村")),
    ("101", "石桥镇", ("黄桷村", "团结村", "茶园村", "石门村", "新华村", "杨柳村", "白果村")),
    ("102", "龙泉镇", ("龙井村", "观音村", "青杠村", "高峰村", "太平村", "双龙村")),
    ("103", "双河镇", ("河口村", "新民村", "水井村", "松林村", "光明村", "碾盘村", "大坪村")),
    ("200", "青林乡", ("青龙村", "竹林村", "仁和村", "梨树村", "花园村", "堰塘村")),
    ("201", "白云乡", ("白鹤村", "云峰村", "永安村", "长岭村", "杉树村", "金龙村", "三合村")),
)
DEPARTMENTS = (
    ("czj", "演示县财政局", "finance-bureau"),
    ("xczx", "演示县乡村振兴局", "poverty-office"),
    ("nyj", "演示县农业农村局", "agriculture-bureau"),
    ("jtj", "演示县交通运输局", "transport-bureau"),
    ("slj", "演示县水利局", "water-bureau"),
    ("rsj", "演示县人力资源和社会保障局", "other-department"),
)
# (unit_id, name, kind, village code, main product): market players that run industry projects.
ENTERPRISES = (
    ("hzs100201", "演示县红星村柑橘种植专业合作社", "cooperative", "519901100201", "柑橘"),
    ("hzs101203", "演示县茶园村茶叶专业合作社", "cooperative", "519901101203", "茶叶"),
    ("hzs102201", "演示县龙井村猕猴桃专业合作社", "cooperative", "519901102201", "猕猴桃"),
    ("hzs103204", "演示县松林村中药材种植专业合作社", "cooperative", "519901103204", "中药材"),
    ("hzs200202", "演示县竹林村食用菌专业合作社", "cooperative", "519901200202", "食用菌"),
    ("hzs201203", "演示县永安村花椒种植专业合作社", "cooperative", "519901201203", "花椒"),
    ("qy01", "演示县桂花生态农业开发有限公司", "company", "519901100204", "李子"),
    ("qy02", "演示县白云山茶业有限公司", "company", "519901201201", "茶叶"),
    ("qy03", "演示县龙泉农产品冷链物流有限公司", "company", "519901102205", "柑橘"),
)
MODELS = {"cooperative": "合作社+农户", "company": "企业+合作社+农户", "village-committee": "村集体经济组织+农户"}
BUILDERS = {
    "road": ("演示县通达路桥工程有限公司", "演示县宏远公路建设有限公司"),
    "water": ("演示县清源水利水电工程有限公司", "演示县润泽水务工程有限公司"),
    "build": ("演示县宏达建筑工程有限公司", "演示县安居建设有限公司", "演示县锦程市政工程有限公司"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐邓冯韩曹彭曾蒋蔡余杜叶程魏苏吕丁任袁"
GIVEN = ("建国", "明华", "丽娟", "志强", "秀英", "玉兰", "德明", "文华", "海燕", "春梅", "国富", "永福", "学军",
         "晓东", "明亮", "光荣", "桂兰", "俊杰", "红梅", "建华", "小平", "卫东", "家富", "正兵", "天成", "思远",
         "雪梅", "淑芬", "志刚", "勇", "军", "涛", "斌", "敏", "静", "磊", "霞", "鹏", "婷", "刚", "波", "琴")
CROPS = ("茶叶", "柑橘", "猕猴桃", "花椒", "中药材", "李子", "食用菌")
LIVESTOCK = ("生猪", "肉牛", "山羊", "土鸡")
TRADES = ("电工", "焊工", "家政服务", "中式烹调", "农村电商")
SATISFIED = "受益群众满意度≥95%"
WORKS = "工程验收合格率100%"


@dataclass(frozen=True)
class Template:
    """A kind of project; its texts are format strings filled from the project's parameters."""

    category: str
    name: str
    content: str
    targets: str
    mechanism: str
    doer: str  # "village", "township", "enterprise" (falls back to the village) or a department unit_id
    budget: tuple[int, int] = (0, 0)  # lump-sum range in yuan
    size: tuple[int, int] = (0, 0)  # (yuan per unit, decimals) of the quantity {q} derived from the budget
    per: tuple[int, ...] = ()  # subsidy per head; then budget = heads * per * times
    heads: tuple[int, int] = (0, 0)
    times: int = 1
    per_person: bool = False
    subsidy: str = ""
    builder: str = ""  # kind of contractor, empty when nobody is contracted to build
    location: str = "{place}{groups}"
    weight: int = 1


VILLAGE_TEMPLATES = (
    Template("infrastructure", "{place}通组道路硬化工程",
             "硬化{groups}通组道路{q}公里，路面宽4.5米，C25混凝土厚20厘米，配套边沟、错车道及安全防护设施",
             f"新建硬化道路{{q}}公里；{WORKS}；解决{{households}}户{{people}}人出行难问题；{SATISFIED}",
             "施工优先吸纳本村脱贫户和监测户务工{workers}人，人均增收{wage}元；道路建成后降低农产品运输成本",
             "jtj", budget=(300_000, 2_000_000), size=(450_000, 1), builder="road", weight=8),
    Template("infrastructure", "{place}产业路建设项目",
             "新建{groups}产业便道{q}公里，路面宽3.5米，连通{crop}种植基地",
             f"新建产业路{{q}}公里；{WORKS}；带动{{households}}户发展产业；{SATISFIED}",
             "采取以工代赈方式实施，吸纳脱贫户和监测户{workers}人务工，人均发放劳务报酬{wage}元",
             "village", budget=(100_000, 600_000), size=(300_000, 1), builder="road", weight=6),
    Template("infrastructure", "{place}农村供水保障工程",
             "新建{tank}立方米蓄水池1口，铺设供水管网{q}米，配套净化消毒设备1套",
             f"巩固提升{{households}}户{{people}}人供水保障水平；水质达标率100%；{WORKS}；{SATISFIED}",
             "建成后由村集体管护，聘用脱贫户{jobs}人担任管水员；施工吸纳脱贫户务工{workers}人，人均增收{wage}元",
             "slj", budget=(100_000, 800_000), size=(400, 0), builder="water", weight=5),
    Template("infrastructure", "{place}农田灌溉渠系配套工程",
             "新建U型渠道{q}米，整治山坪塘{ponds}口，改善灌溉面积{mu}亩",
             f"新建渠道{{q}}米；新增及改善灌溉面积{{mu}}亩；{WORKS}；{SATISFIED}",
             "改善{households}户农户生产条件，亩均增产粮食50公斤以上；施工吸纳脱贫户{workers}人务工",
             "slj", budget=(200_000, 1_200_000), size=(600, 0), builder="water", weight=3),
    Template("infrastructure", "{place}太阳能路灯安装项目", "在{groups}主干道安装太阳能路灯{q}盏",
             f"安装路灯{{q}}盏；亮灯率≥98%；{SATISFIED}",
             "改善{households}户群众夜间出行条件；路灯由村集体管护，聘用脱贫户{jobs}人担任管护员",
             "village", budget=(50_000, 200_000), size=(2_500, 0), builder="build", weight=3),
    Template("industry", "{place}{crop}种植基地建设项目",
             "新建{crop}标准化种植基地{q}亩，配套生产便道、滴灌设施和种苗",
             f"新建{{crop}}基地{{q}}亩；种苗成活率≥90%；带动脱贫户和监测户{{households}}户增收；{SATISFIED}",
             "采取‘{model}’模式，吸纳脱贫户{workers}户务工，户均增收{income}元以上；"
             "形成资产归村集体所有，按投资额的{share}%收取收益，用于公益岗位和困难群众帮扶",
             "enterprise", budget=(200_000, 1_500_000), size=(2_000, 0), weight=8),
    Template("industry", "{place}{animal}养殖产业发展项目",
             "新建标准化{animal}圈舍{q}平方米，配套粪污资源化利用设施",
             f"新建圈舍{{q}}平方米；圈舍出租率100%；带动{{households}}户增收；{SATISFIED}",
             "采取‘{model}’模式，圈舍租赁给养殖大户经营，年租金{rent}元用于脱贫户和监测户分红",
             "village", budget=(200_000, 1_000_000), size=(1_500, 0), builder="build", weight=4),
    Template("industry", "{place}农产品冷链仓储设施建设项目",
             "新建{crop}冷藏保鲜库{q}立方米，配套分拣包装设备",
             f"新增冷藏库容{{q}}立方米；年周转农产品{{tons}}吨以上；带动{{households}}户增收；{SATISFIED}",
             "资产归村集体所有，租赁给经营主体使用，年收取租金{rent}元，收益的60%用于脱贫户和监测户分红",
             "enterprise", budget=(300_000, 1_200_000), size=(3_000, 0), builder="build", weight=3),
    Template("housing", "{place}农村低收入群体危房改造项目", "对{n}户低收入群体（脱贫户、监测户）危房进行改造加固",
             "完成危房改造{n}户；改造后房屋安全鉴定合格率100%；受益群众满意度≥98%",
             "补助资金直接兑付到户，保障{n}户{people}人住房安全；优先聘用本村脱贫劳动力参与施工",
             "village", per=(15_000, 20_000, 25_000), heads=(4, 12), subsidy="每户补助{per}元",
             location="{place}各组", weight=4),
    Template("health", "{place}村卫生室标准化建设项目",
             "改扩建村卫生室{q}平方米，设置诊断室、治疗室、药房，配置基本诊疗设备",
             f"建成标准化村卫生室1个；脱贫人口家庭医生签约服务覆盖率100%；{SATISFIED}",
             "方便{households}户{people}人就近就医，脱贫户和监测户常见病在村内就诊，减少看病支出",
             "village", budget=(150_000, 500_000), size=(2_500, 0), builder="build", weight=2),
)
TOWNSHIP_TEMPLATES = (
    Template("industry", "{place}脱贫户和监测户产业发展到户奖补项目",
             "对发展{crop}、{animal}等特色种养业的{n}户脱贫户和监测户给予一次性产业奖补",
             f"奖补农户{{n}}户；奖补资金兑付率100%；户均增收{{income}}元以上；{SATISFIED}",
             "采取‘先建后补、验收兑付’方式，奖补资金通过惠民惠农财政补贴资金“一卡通”直接兑付到户",
             "nyj", per=(2_000, 3_000, 5_000), heads=(40, 150), subsidy="每户补助{per}元", location="{place}辖区各村"),
    Template("employment", "{place}乡村公益性岗位项目",
             "开发保洁、护路、管水等乡村公益性岗位{n}个，安置弱劳力、半劳力脱贫人口就业",
             f"开发公益性岗位{{n}}个；岗位补贴按月足额发放率100%；{SATISFIED}",
             "优先安置无法离乡、无业可就的脱贫劳动力和监测对象，人均年增收{yearly}元",
             "township", per=(500, 600, 800), heads=(20, 60), times=12, per_person=True,
             subsidy="每人每月{per}元", location="{place}辖区各村"),
    Template("employment", "{place}脱贫劳动力技能培训项目", "开展{trade}等职业技能培训{n}人次，培训合格后推荐就业",
             f"培训脱贫劳动力{{n}}人次；培训合格率≥90%；培训后就业率≥60%；{SATISFIED}",
             "培训后推荐到东西部协作企业和县内园区就业，人均月增收{monthly}元以上",
             "rsj", per=(1_200, 1_500, 1_800), heads=(60, 200), per_person=True,
             subsidy="每人补助培训费{per}元", location="{place}"),
    Template("education", "{place}雨露计划职业教育补助项目",
             "对就读中职、高职的{n}名脱贫家庭和监测户家庭学生给予生活费补助",
             "补助学生{n}人；补助资金按时足额发放率100%；受助学生家庭满意度≥98%",
             "补助资金直接兑付到学生家庭，减轻脱贫家庭教育支出负担，阻断贫困代际传递",
             "township", per=(1_500,), heads=(20, 80), times=2, per_person=True,
             subsidy="每生每学期补助{per}元", location="{place}辖区各村"),
    Template("relocation", "{place}易地扶贫搬迁集中安置点配套设施完善项目",
             "完善安置点排水管网{q}米，硬化活动场地{area}平方米，改造帮扶车间1处",
             f"完善排水管网{{q}}米；帮扶车间吸纳搬迁群众就业{{workers}}人以上；{SATISFIED}",
             "帮扶车间优先吸纳搬迁脱贫户就业{workers}人，人均月工资2000元以上；车间租金收益用于安置点公共服务",
             "township", budget=(300_000, 1_500_000), size=(900, 0), builder="build", location="{place}集中安置点"),
    Template("other", "{place}脱贫人口小额信贷贴息项目", "对{households}户脱贫户和监测户发展生产的小额信贷予以贴息",
             f"贴息农户{{households}}户；贴息资金按季足额兑付；{SATISFIED}",
             "降低脱贫户和监测户发展产业的融资成本，支持发展种养业和小商贸，户均增收{income}元以上",
             "township", budget=(50_000, 300_000),
             subsidy="对脱贫户和监测户5万元以下、3年以内的小额信贷按贷款市场报价利率全额贴息",
             location="{place}辖区各村"),
)
DOC_PREFIX = {"czj": "演财农", "xczx": "演乡振发"}
BASIS = {
    "czj": "按因素法分配：脱贫人口和监测对象规模（40%）、项目库储备（30%）、上年度资金绩效评价结果（30%）",
    "dept": "按项目法分配，依据县级项目库入库项目和行业主管部门实施方案",
    "east-west": "按东西部协作年度帮扶协议确定的项目安排",
    "social": "按社会帮扶单位捐赠意向和村级项目库入库项目安排",
    "xczx": "按项目法分配，支持村级项目库入库项目",
    "township": "经乡镇党委会议、政府常务会议研究，按村级项目库入库项目安排",
}
DEPT_PURPOSE = {
    "jtj": "全县农村通组道路硬化建设", "slj": "全县农村供水保障和农田灌溉设施建设",
    "nyj": "全县脱贫户和监测户产业发展到户奖补", "rsj": "全县脱贫劳动力职业技能培训",
}
RECTIFY_NOTES = ("部分边沟勾缝不密实，要求施工单位15日内整改到位", "缺少隐蔽工程影像资料，限期10日内补齐")
DEPT_IDS = tuple(d[0] for d in DEPARTMENTS)
