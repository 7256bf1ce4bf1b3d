"""Chinese event classes found on unseen reports (data/unseen/zh2.jsonl), each stated as a class.

Each case is a sentence written for the test, not a sentence of the unseen file.
"""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.grammar.zh.extract import extract_zh

from .conftest import ZhGrammar


def rows(zh: ZhGrammar, text: str, published: str = "2023-06-01") -> list[dict[str, Any]]:
    return extract_zh(text, published, grammar=zh)["events"]


@pytest.mark.parametrize(("text", "expected"), [
    # a verb inside a longer noun is not a predicate (组织 in 组织者)
    ("警方在境外将3名贩毒团伙幕后组织者抓获归案。", [("arrest", 3.0)]),
    # a list of parts after "...中，" continues through clauses with no predicate of their own
    ("缴获的毒品中，海洛因5千克，鸦片3千克，冰毒2千克。",
     [("drug_seizure", 5.0), ("drug_seizure", 3.0), ("drug_seizure", 2.0)]),
    # a weighed thing with no predicate takes the last predicate before it
    ("查获的鸦片重16公斤，冰毒重4公斤。", [("drug_seizure", 16.0), ("drug_seizure", 4.0)]),
    # 被擒 is an arrest (configs/zh/events.yml)
    ("民警从车内查获冰毒5克，车上2名嫌疑人当场被擒。", [("drug_seizure", 0.005), ("arrest", 2.0)]),
    # "respectively": the nouns before 分别 pair in order with the quantities after it
    ("今年全省缴获毒品和易制毒化学品分别为5吨和30吨。", [("drug_seizure", 5000.0), ("precursor_seizure", 30000.0)]),
    ("海洛因、冰毒的缴获量分别为2吨、3吨。", [("drug_seizure", 2000.0), ("drug_seizure", 3000.0)]),
    # controlled narcotic and psychotropic medicines are drugs (configs/zh/events.yml, noun_classes)
    ("海关还查获列管麻醉药品和精神药品1.1万余片。", [("drug_seizure", 11000.0)]),
    # people in community treatment, however it is phrased (community)
    ("全省累计有3.6万余名吸毒人员在社区接受戒毒康复。", [("community_treatment", 36000.0)]),
    # intercepting people is arresting them (截获, 拦截: configs/zh/events.yml), as in English
    ("民警在高速公路收费站截获3名运毒人员，查获冰毒2公斤。", [("arrest", 3.0), ("drug_seizure", 2.0)]),
    # a semi-finished product is a drug (冰毒成品…、半成品…), but ephedrine's is a precursor
    ("现场缴获冰毒成品20余公斤、半成品约100升。", [("drug_seizure", 20.0), ("drug_seizure", 100.0)]),
    ("警方还查获麻黄素半成品约2吨、制毒半成品300公斤。", [("precursor_seizure", 2000.0), ("precursor_seizure", 300.0)]),
    # 起 counts cases whatever noun stands before it: 查获毒品五起 is five drug cases
    ("今年以来，海关在邮递渠道共查获冰毒类毒品八起。", [("case_solved", 8.0)]),
    # checks counted in 次 are inspections; 开展 (carrying out) alone is no check: 扫毒27次 counts sweeps
    ("全市禁毒部门开展集中清查行动320余次。", [("inspection", 320.0)]),
    ("禁毒部门对娱乐场所集中清查二百六十次。", [("inspection", 260.0)]),
    ("禁毒部门开展边境联合扫毒27次，开展禁毒宣传活动1200余次。", []),
    ("云南警方介绍，该男子曾3次因吸毒被抓获。", []),  # 次 counts times: one man caught three times
    # one noun before 分别: the places are distributed, each quantity counts that noun
    ("今年全省破获毒品案件844起。甲、乙、丙三市破获案件数分别为312起、287起和245起。",
     [("case_solved", 844.0), ("case_solved", 312.0), ("case_solved", 287.0), ("case_solved", 245.0)]),
    # ... not when each quantity has a verb of its own after 分别
    ("民警分别在两处出租屋内抓获嫌疑人2名和查获冰毒3公斤。", [("arrest", 2.0), ("drug_seizure", 3.0)]),
    ("禁毒民警分别从两名嫌疑人身上查获海洛因50克和30克。", [("drug_seizure", 0.05), ("drug_seizure", 0.03)]),
    # 将/把 put the object before its verb: the counted noun is after the marker, not the subject
    ("贩毒案中，民警将4名犯罪嫌疑人当场抓获。", [("arrest", 4.0)]),
    ("在毒品查缉中，警方把张某等2人抓获。", [("arrest", 2.0)]),
    # more ways of saying a case was cracked (configs/zh/events.yml verb_classes.solve)
    ("警方一个月连破6起贩毒案。", [("case_solved", 6.0)]),
    ("今年以来，全市共有12起毒品案件告破。", [("case_solved", 12.0)]),
    # a clause that sums the one before (共824人) takes its predicate
    ("对吸毒成瘾严重的人员，依法决定强制隔离戒毒，共500人。", [("compulsory_treatment", 500.0)]),
    # 称重为 weighs what was found, under its predicate
    ("民警在车内搜出毒品可疑物3包，称重为12.5公斤。", [("drug_seizure", 3.0), ("drug_seizure", 12.5)]),
    # a nominal predicate after its subject
    ("今年以来，全省毒品缴获量为5吨。", [("drug_seizure", 5000.0)]),
    # a change right before a number is not a count (change_words); a level it changes to is one
    ("与上年相比，全市破获毒品案件数减少15起。", []),
    ("全省毒品缴获量上升至2.3吨，抓获毒品犯罪嫌疑人增加到1200名。", [("drug_seizure", 2300.0), ("arrest", 1200.0)]),
    # what a gang is made of is not a count of gangs
    ("警方打掉4人以上的贩毒团伙12个。", [("network_dismantled", 12.0)]),
    # what a searched vehicle or bag held (藏有, 装有) was found in it
    ("民警在一辆轿车的后备箱内发现一个背包，包内装有冰毒12袋，重12公斤。",
     [("drug_seizure", 12.0), ("drug_seizure", 12.0)]),
    # target cases established (确立) are opened
    ("今年以来，全省已确立毒品目标案件25起。", [("case_opened", 25.0)]),
    # crystals and powder found are a drug's, as in English (configs: noun_classes.drug)
    ("民警在车内发现白色粉末三包，经检测为海洛因。", [("drug_seizure", 3.0)]),
    # people counted after a predicate that names a licence are its holders
    ("今年以来，全省累计注销驾驶证吸毒人员860余名。", [("licence_revoked", 860.0)]),
    # ... and so are people counted before one in their clause
    ("今年以来，全省查处吸毒驾驶人员146人并依法注销其驾驶证。", [("licence_revoked", 146.0)]),
    # ... not people arrested, nor people before venues' licences counted apart
    ("警方抓获贩毒嫌疑人30人并注销其驾驶证。", [("arrest", 30.0)]),
    ("云南警方抓获涉毒嫌疑人30人并吊销涉毒娱乐场所证照12家。", [("arrest", 30.0), ("licence_revoked", 12.0)]),
    # 本 counts licences when no noun stands before it
    ("今年以来，警方注销吸毒驾驶人驾驶证件，共注销驾驶证150余本。", [("licence_revoked", 150.0)]),
    # plants counted (株, 棵) are destroyed, not seized
    ("民警发现并铲除非法种植的大麻1.2万余株，缴获大麻叶8公斤。", [("drug_seizure", 8.0)]),
    # a clause that sums the amounts listed before it counts what they count
    ("警方侦破一起贩毒案，缴获冰毒8.2公斤、麻古3.4公斤，共计11.6公斤。",
     [("drug_seizure", 8.2), ("drug_seizure", 3.4), ("drug_seizure", 11.6)]),
    ("民警查获海洛因2公斤、冰毒1公斤，合计约3公斤。",
     [("drug_seizure", 2.0), ("drug_seizure", 1.0), ("drug_seizure", 3.0)]),
    # ... and a mass after packets counted weighs them
    ("民警从其随身携带的双肩包内查获冰毒可疑物10包，共计5.24公斤。", [("drug_seizure", 10.0), ("drug_seizure", 5.24)]),
    ("民警在出租屋内查获麻古1.7万粒，约合3.4公斤。", [("drug_seizure", 17000.0), ("drug_seizure", 3.4)]),
    ("该关在集装箱中查获可卡因36块，约42公斤，抓获涉案人员3名。",
     [("drug_seizure", 36.0), ("drug_seizure", 42.0), ("arrest", 3.0)]),
    ("警方抓获犯罪嫌疑人3名，约5公斤。", []),
    ("今年以来，云南警方缴获海洛因3公斤、易制毒化学品5吨，共计5003公斤。",
     [("drug_seizure", 3.0), ("precursor_seizure", 5000.0)]),
    # people counted as the subject take the verb of a passive in a later clause
    ("7月2日凌晨，4名毒贩携毒返程，行至高速路段时被民警截获，现场查获麻古疑似物55包。",
     [("arrest", 4.0), ("drug_seizure", 55.0)]),
    ("案件已移交检察院，五名嫌犯涉嫌贩卖毒品，最高可被判处十五年徒刑。", []),
    # a space ends a headline's clause, before a number too (缴毒逾21.9万克 7名外籍毒贩落网)
    ("湖南百日缴毒逾12.5万克 9名毒贩落网", [("drug_seizure", 125.0), ("arrest", 9.0)]),
    # ... not a space before a number inside a clause (spaced web text)
    ("民警在其住处查获冰毒 2千克。", [("drug_seizure", 2.0)]),
    # drugs taken out of a hiding place are seized (取出, 扣下), weighed with 重量约 or 称重共计
    ("民警切开油箱，从中取出毒品可疑物30块，重量约12公斤。", [("drug_seizure", 30.0), ("drug_seizure", 12.0)]),
    ("海关在邮件中扣下大麻烟油8支，称重共计96克。", [("drug_seizure", 8.0), ("drug_seizure", 0.096)]),
    # laughing gas is a drug (configs: drugs.yml, events.yml), by volume; a written decimal before 万
    ("民警查扣“笑气”2500余升。", [("drug_seizure", 2500.0)]),
    ("警方缴获摇头丸二百零七点五万粒。", [("drug_seizure", 2075000.0)]),
    # 起出 seizes, 喵喵 is a drug, 先驱原料 a precursor, 座 counts labs (not 座谈)
    ("民警在仓库起出氯胺酮1574公斤。", [("drug_seizure", 1574.0)]),
    ("警方查扣「喵喵」成品17.9公斤及先驱原料305公斤。", [("drug_seizure", 17.9), ("precursor_seizure", 305.0)]),
    ("警方侦破制毒工厂5座。", [("network_dismantled", 5.0)]),
    ("民警检查一辆5座轿车，查获冰毒5公斤。", [("drug_seizure", 5.0)]),  # 5座轿车 counts seats
    # a processing site is a lab; cars seized with a haul are no event
    ("警方还查获毒品加工点一处。", [("network_dismantled", 1.0)]),
    ("警方缴获冰毒5公斤，扣押涉案汽车10辆。", [("drug_seizure", 5.0)]),
    # 一 after its noun, ending the item, counts one (案件一起); before its noun it is "a"
    ("警方破获贩毒案件一起，抓获犯罪嫌疑人一名。", [("case_solved", 1.0), ("arrest", 1.0)]),
    ("警方破获一起贩毒案件，抓获一名男子。", []),
    ("民警们一起，查获冰毒3公斤。", [("drug_seizure", 3.0)]),  # 起 counts one only after a case noun
    ("警方共破获毒品案件35起，其中一起，缴获海洛因5公斤。", [("case_solved", 35.0), ("drug_seizure", 5.0)]),
    ("今年以来，民警对辖区娱乐场所每月清查一次，共抓获吸毒人员25名。", [("arrest", 25.0)]),
    ("今年以来，民警在公路检查站共检查过往汽车1.5万余辆，查获冰毒5公斤。",
     [("inspection", 15000.0), ("drug_seizure", 5.0)]),
    # a sum marker after a list comma sums what is listed before it
    ("警方缴获海洛因280块、合计103.6千克。", [("drug_seizure", 280.0), ("drug_seizure", 103.6)]),
    # ... the weight of packets only: parts of one unit summed again would count them twice
    ("缴获冰毒5公斤、海洛因3公斤、合计8公斤。", [("drug_seizure", 5.0), ("drug_seizure", 3.0)]),
    # a sentence opening on its parts (这些案件中，) takes the last predicate of the sentence before ...
    ("警方破获毒品案件130起，缴获毒品223.2千克。这些案件中，有万克以上大案5起、千克以上大案22起。",
     [("case_solved", 130.0), ("drug_seizure", 223.2), ("case_solved", 5.0), ("case_solved", 22.0)]),
    ("四川共侦破毒品刑事案件9757起。在这些案件中，涉毒千克以上的案件有230起。",
     [("case_solved", 9757.0), ("case_solved", 230.0)]),
    # ... not past a blocker (a court's sentences), nor from a part listed mid-sentence
    ("警方缴获冰毒5公斤。一审宣判的24名被告人中，1人被判处死刑。", [("drug_seizure", 5.0)]),
    ("全市强制戒毒2900多人次。全市新滋生吸毒人员为356人，另有364人已脱毒。", [("compulsory_treatment", 2900.0)]),
    # 采取了刑事强制措施 arrests as 采取刑事强制措施 does; 坨 counts lumps
    ("今年以来全市对15名涉毒人员采取了刑事强制措施。", [("arrest", 15.0)]),
    ("缴获编织袋包裹的毒品可疑物五十坨，重五十公斤。", [("drug_seizure", 50.0), ("drug_seizure", 50.0)]),
    # 毒 in 有毒 (poisonous), 病毒, 中毒 is no drug cue: food-safety and health cases are not drug events
    ("今年上半年全省公安机关共破获危害食品安全案件240起，抓获犯罪嫌疑人327人，查获有毒有害豆芽500余斤。", []),
    ("警方破获一批病毒传播案件30起，抓获嫌疑人12名。", []),
    # 查缉走私 searches for smuggled goods; 查缉 of drugs still is a drug search
    ("8月18日凌晨，两地海关出动警力300多人，在广东等地同步展开查缉走私冻品的联合行动。", []),
    ("海关出动警力300多人，查缉走私毒品。", [("deployment", 300.0)]),
    # ... while a drug word beside them still is one
    ("全市共破获各类案件300起，其中毒品犯罪案件45起，抓获犯罪嫌疑人60名。",
     [("case_solved", 300.0), ("case_solved", 45.0), ("arrest", 60.0)]),  # 其中毒品: not 中毒
    ("在打击有毒食品的行动中，警方抓获贩毒嫌疑人5名。", [("arrest", 5.0)]),
    # grams convert to kg in decimal (not 13.524000000000001); 制毒点 are labs; alprazolam is a drug
    ("缴获冰毒一万三千五百二十四克。", [("drug_seizure", 13.524)]),
    ("去年全国捣毁二百六十八个制毒点。", [("network_dismantled", 268.0)]),
    ("查获“阿普唑仑”21万余粒。", [("drug_seizure", 210000.0)]),
])
def test_event_classes(zh: ZhGrammar, text: str, expected: list[tuple[str, float]]) -> None:
    assert [(r["event_type"], r["value"]) for r in rows(zh, text)] == expected


def test_a_list_with_a_predicate_of_its_own_is_not_continued(zh: ZhGrammar) -> None:
    """Only clauses with no predicate continue a list: 价值 blocks, a new verb reads for itself."""
    found = rows(zh, "缴获的毒品中，海洛因5千克，价值300万元，另查扣车辆2辆。")
    assert [(r["event_type"], r["value"]) for r in found] == [("drug_seizure", 5.0)]


@pytest.mark.parametrize(("text", "kinds"), [
    # two or more cases summed: the sentence's figures are totals
    ("警方破获贩毒案件12起，抓获嫌疑人15名，缴获毒品20公斤。",
     [("total", "several_cases")] * 3),
    ("警方破获贩毒案件1起，抓获嫌疑人2名。", [("incident", ""), ("incident", "")]),
    # a whole area as the subject of a clause scopes the rest of the sentence
    ("全市捣毁制毒窝点3处，打掉贩毒团伙5个。", [("total", "全市"), ("total", "全市")]),
    # ... but not where it only says where (在全国...)
    ("警方在全国5省开展集群打击，抓获涉毒人员30人。", [("incident", "")]),
    # treatment orders are counted over a period whatever the sentence says
    ("警方责令120名吸毒人员社区戒毒。", [("total", "type:community_treatment")]),
    # one vehicle or boat stopped: one case's figures, in a month named as a date too (not 一处, which
    # counts dens in 捣毁制毒窝点一处 and hides in 统一处置)
    ("8月，民警在高速公路上拦截一辆轿车，从备胎内查获氯胺酮9.6公斤。", [("incident", "一辆")]),
    ("去年10月，海警在近海拦截一艘渔船，查获冰毒1.35千克。", [("incident", "一艘")]),
    ("今年以来湖南警方统一处置涉毒车辆，破获毒品案件120起。", [("total", "今年以来")]),
    # a campaign named in the sentence: the campaign's figures
    ("在“净边”行动中，警方缴获毒品30公斤。", [("total", "operation")]),
    # one seizure's items weighed together: 合计 inside 合计净重 is not a total cue
    ("3月18日，海关关员从一名旅客行李中查获大麻糖果200余克，合计净重约286克。", [("incident", ""), ("incident", "")]),
    ("3月18日，民警从一个包裹中搜出毒品450包，清点称重共计4.49公斤。", [("incident", ""), ("incident", "")]),
    # one case of a round-up: its seizure "in one go" (一次性) and in the case (案中)
    ("其中，警方今年侦破的特大制毒案中，一次性缴获冰毒120公斤。", [("incident", "一次性缴获")]),
    # ... but not a round-up's figures before it, nor a round-up's "cases" or a one-off campaign
    ("今年以来，全省共破获毒品案件1200起，其中在侦破的跨境贩毒案中一次性缴获毒品2.1吨。",
     [("total", "今年以来"), ("incident", "一次性缴获")]),
    ("2023年，全省各地在办理的毒品案中共缴获毒品3.4吨。", [("total", "全省")]),
    ("今年以来，全省开展一次性集中清查行动，抓获吸毒人员300名。", [("total", "今年以来")]),
    # one case's haul summed (，共计11.6公斤) is still the case's: the sum word is no total cue
    ("警方侦破一起贩毒案，缴获冰毒8.2公斤、麻古3.4公斤，共计11.6公斤。", [("incident", "一起")] * 3),
    # ... while a sum word with a verb still sums cases
    ("全省共计破获毒品案件120起。", [("total", "共计")]),
    # a figure is no cue: 一起 counting one case, or ending 二十一起
    ("海关查获走私毒品案件二十三起，包括行李藏毒案件八起和快件藏毒案件一起。",
     [("total", "several_cases")] * 3),
    ("今年以来累计查获毒品走私案件二十一起，缴获毒品1.8千克。", [("total", "今年以来")] * 2),
    # a sum after a list comma is no cue either
    ("警方侦破一起贩毒案，缴获海洛因280块、合计103.6千克。", [("incident", "一起")] * 2),
    # ... while one case counted alone still tells of one case
    ("3月，某县公安局破获贩毒案件一起，抓获犯罪嫌疑人2名，缴获冰毒3公斤。", [("incident", "一起")] * 3),
])
def test_kind_without_a_cue_word(zh: ZhGrammar, text: str, kinds: list[tuple[str, str]]) -> None:
    assert [(r["kind"], r["kind_cue"]) for r in rows(zh, text)] == kinds


def test_a_total_carries_to_the_next_sentence_of_its_paragraph(zh: ZhGrammar) -> None:
    text = "5月1日至7日，总队破获贩毒案件102起。缴获的毒品中，海洛因56千克，鸦片58千克。\n\n3月2日，民警查获冰毒1千克。"
    found = [(r["raw"], r["kind"], r["kind_cue"]) for r in rows(zh, text)]
    assert found == [("102起", "total", "several_cases"), ("56千克", "total", "breakdown"),
                     ("58千克", "total", "breakdown"), ("1千克", "incident", "")]


@pytest.mark.parametrize(("text", "drugs"), [
    ("警方缴获海洛因280块、合计103.6千克。", ["heroin", "heroin"]),
    ("警方缴获海洛因280块、冰毒3公斤，共计103.6千克。", ["heroin", "methamphetamine", None]),
])
def test_a_sum_names_the_drug_only_when_one_was_listed(zh: ZhGrammar, text: str, drugs: list) -> None:
    assert [r["drug"] for r in rows(zh, text)] == drugs


def test_respectively_gives_each_quantity_its_own_item(zh: ZhGrammar) -> None:
    found = rows(zh, "海洛因、冰毒的缴获量分别为2吨、3吨。全省毒品缴获量为5吨。")
    assert [(r["item"], r["drug"]) for r in found] == [("海洛因", "heroin"), ("冰毒", "methamphetamine"),
                                                      ("毒品", None)]


@pytest.mark.parametrize(("text", "provinces"), [
    pytest.param("云南、广西两省区分别缴获毒品12.4吨和8.7吨。", [["CN-YN"], ["CN-GX"]], id="each its own"),
    pytest.param("禁毒行动中，河南、山东两省破案数分别达到980起和1050起。", [["CN-HA"], ["CN-SD"]],
                 id="one noun, the places distributed"),
    pytest.param("禁毒行动中，河南、山东两省破案数分别达到980起和1050起，缴获毒品分别为30公斤和40公斤。",
                 [["CN-HA"], ["CN-SD"], ["CN-HA"], ["CN-SD"]], id="two markers pair twice"),
    pytest.param("云南、广西两省区共缴获毒品12.4吨。", [["CN-YN", "CN-GX"]], id="no marker: both"),
    pytest.param("云南、广西、贵州三省区分别缴获毒品12.4吨和8.7吨。", [["CN-YN", "CN-GX", "CN-GZ"]] * 2,
                 id="counts that differ pair nothing"),
])
def test_respectively_pairs_provinces_with_figures(zh: ZhGrammar, text: str, provinces: list[list[str]]) -> None:
    assert [r["provinces"] for r in rows(zh, text)] == provinces


@pytest.mark.parametrize(("text", "provinces"), [
    pytest.param("湖北省公布禁毒成绩单\n\n今年1至5月，全省共破获毒品案件1126起。\n\n其中，武汉警方联合广东警方侦破一起贩毒案，"
                 "缴获冰毒42.5千克。\n\n同期，全省责令社区戒毒2300余人。",
                 [["CN-HB"], ["CN-GD"], ["CN-HB"]], id="the lead's one province, with a partner province later"),
    pytest.param("全国禁毒工作会议召开\n\n今年以来，全国共破获毒品案件5万起。\n\n其中，广东警方缴获冰毒42.5千克。\n\n"
                 "同期，各地责令社区戒毒2300余人。", [[], ["CN-GD"], []], id="a national lead has no focus"),
    pytest.param("警方公布禁毒成绩单\n\n今年以来，共破获毒品案件1126起。\n\n其中，云南警方缴获冰毒4千克。广东警方缴获冰毒2千克。",
                 [[], ["CN-YN"], ["CN-GD"]], id="two provinces and none in the lead: no focus"),
    pytest.param("贵阳去年破获毒品案件612起\n\n2022年，贵州贵阳市在全国率先建成禁毒智能平台。\n\n全年全市共破获毒品案件612起，"
                 "抓获犯罪嫌疑人830人。", [["CN-GZ"], ["CN-GZ"], ["CN-GZ"]],
                 id="a ranking against the country (在全国率先) is no national lead"),
])
def test_the_focus_is_the_province_of_the_lead(zh: ZhGrammar, text: str, provinces: list[list[str]]) -> None:
    assert [r["provinces"] for r in rows(zh, text)] == provinces


@pytest.mark.parametrize(("text", "provinces"), [
    pytest.param("其中，湖南、湖北两地警方分别缴获毒品1.2吨和0.8吨；江西警方打掉制毒窝点12个，抓获嫌疑人90名。",
                 [["CN-HN"], ["CN-HB"], ["CN-JX"], ["CN-JX"]], id="a clause after ； names its own province"),
    pytest.param("湖南警方缴获毒品1.2吨；抓获嫌疑人90名。", [["CN-HN"], ["CN-HN"]],
                 id="a clause with no province of its own keeps the sentence's"),
])
def test_each_clause_of_a_sentence_keeps_its_own_provinces(zh: ZhGrammar, text: str,
                                                          provinces: list[list[str]]) -> None:
    assert [r["provinces"] for r in rows(zh, text)] == provinces


@pytest.mark.parametrize(("text", "published", "expected"), [
    pytest.param("8月上旬，江苏警方在港口查获可卡因420千克。", "2024-09-21", ("2024-08-01", "2024-08-31", "incident"),
                 id="early in a month is the month, one case's"),
    pytest.param("11月上旬，江苏警方在港口查获可卡因420千克。", "2024-11-18", (None, None, "incident"),
                 id="... once it is over"),
    pytest.param("截至5月底，江苏全省共查获可卡因420千克。", "2024-09-21", (None, "2024-05-31", "total"),
                 id="the end of a month is its last day"),
    pytest.param("7月，云南警方缴获毒品300公斤。", "2024-10-05", ("2024-07-01", "2024-07-31", "total"),
                 id="a province's monthly figure is a total (the contract)"),
])
def test_an_edge_of_a_month_is_the_month(zh: ZhGrammar, text: str, published: str,
                                          expected: tuple[str | None, str | None, str]) -> None:
    found = rows(zh, text, published)
    assert [(r["period_start"], r["period_end"], r["kind"]) for r in found] == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("自10月部署开展会战以来，截至12月10日，全省共侦破毒品案件1800多起。", ("2014-10-01", "2014-12-10"),
                 id="an as-of date closes the period its sentence opened"),
    pytest.param("截至12月10日，全省共侦破毒品案件1800多起。", (None, "2014-12-10"), id="... and opens none"),
])
def test_a_running_period_closed_by_an_as_of_date(zh: ZhGrammar, text: str, expected: tuple) -> None:
    assert [(r["period_start"], r["period_end"]) for r in rows(zh, text, "2014-12-26")] == [expected]


@pytest.mark.parametrize(("lead", "expected"), [
    pytest.param("贵州省公安厅通报了专项行动战果。自公安部10月部署开展会战以来，全省共侦破毒品案件1800多起。",
                 ["CN-GZ"], id="a province's agency reports, though the ministry launched the campaign"),
    pytest.param("全国海关推进专项行动，打击海南离岛免税走私。海关全年侦破毒品案件1800多起。", [],
                 id="a national report that names a province in passing"),
    pytest.param("国家禁毒办召开新闻发布会，通报全国禁毒工作情况，云南省禁毒委负责人介绍了边境经验。2014年，共破获毒品犯罪案件"
                 "14.59万起。", [], id="... or with one of its agencies, in a lead about the whole country"),
])
def test_a_provinces_own_report_is_about_it(zh: ZhGrammar, lead: str, expected: list[str]) -> None:
    text = lead + "\n\n其中，部督毒品案件13起被成功侦破。"
    assert [r["provinces"] for r in rows(zh, text, "2014-12-26")][-1] == expected


def test_the_same_period_is_the_totals_not_one_cases(zh: ZhGrammar) -> None:
    text = ("今年1至5月，全省共破获毒品案件1126起。其中，4月，武汉警方侦破一起贩毒案，缴获冰毒42.5千克。"
            "同期，全省责令社区戒毒2300余人。")
    found = [(r["raw"], r["period_start"], r["period_end"]) for r in rows(zh, text)]
    assert found == [("1126起", "2023-01-01", "2023-05-31"), ("42.5千克", "2023-04-01", "2023-04-30"),
                     ("2300余人", "2023-01-01", "2023-05-31")]


def test_a_coordinated_figure_is_judged_in_its_document(zh: ZhGrammar) -> None:
    found = rows(zh, "公安机关侦破零星贩毒案件4600余起。河南、山东两省破案数分别达到980起和1050起。")
    assert [r["raw"] for r in found] == ["4600余起", "980起", "1050起"]


@pytest.mark.parametrize(("text", "provinces"), [
    pytest.param("记者3日从贵州省毕节市公安局获悉，该局破获一起贩毒案，缴获冰毒5千克。", ["CN-GZ"],
                 id="a report from a province's agency: the agency works there"),
    pytest.param("湖南警方查获一批从贵州运来的毒品，缴获冰毒5千克。", ["CN-HN"], id="an origin is no location"),
    pytest.param("警方查获从贵州省运往长沙市公安局辖区的毒品5千克。", [], id="another place's agency past 运往"),
    pytest.param("江西警方发现有人频繁往返于云南运毒，3月18日抓获嫌疑人2名。", ["CN-JX"],
                 id="where a courier travels to and from is no location"),
    pytest.param("广西警方检查一个寄往贵州的包裹，查获冰毒2千克。", ["CN-GX"], id="where a parcel is mailed to"),
])
def test_a_province_before_its_agency_is_a_location(zh: ZhGrammar, text: str, provinces: list[str]) -> None:
    assert [r["provinces"] for r in rows(zh, text)] == [provinces]


@pytest.mark.parametrize(("text", "published", "period"), [
    # the year a story is written in, named alone: its figures run to publication (configs/zh/events.yml,
    # current_period_words), as "this year" does in English
    ("今年已有三千余名吸毒人员被责令社区戒毒。", "2023-08-20", ("2023-01-01", None)),
    ("本月全市警方抓获毒品犯罪嫌疑人42名。", "2023-08-20", ("2023-08-01", None)),
    # ... a bounded part of it keeps its end
    ("今年1至7月，全省共抓获毒品犯罪嫌疑人1250名。", "2023-08-20", ("2023-01-01", "2023-07-31")),
    ("今年全省共抓获毒品犯罪嫌疑人1250名。", "2024-01-03", ("2024-01-01", None)),
    # ... and so does a year that is over when the story is published
    ("去年全省共抓获毒品犯罪嫌疑人1250名。", "2023-08-20", ("2022-01-01", "2022-12-31")),
])
def test_the_current_period_runs_to_publication(zh: ZhGrammar, text: str, published: str,
                                                period: tuple[str, str | None]) -> None:
    assert [(r["period_start"], r["period_end"]) for r in rows(zh, text, published)] == [period]


def test_a_report_closed_by_as_of_gives_its_period_to_totals_without_one(zh: ZhGrammar) -> None:
    """截至5月底 in the lead is the report period (as "As of July 31" in English): the headline's
    total, which states no date of its own, ends there too; a later dated year keeps its own."""
    text = ("某省：社区戒毒人员超5000名\n\n记者获悉，截至今年5月底，全省累计有5000余名吸毒人员接受社区戒毒。\n\n"
            "2023年，全省共责令三千余名吸毒人员社区戒毒。")
    got = [(r["raw"], r["period_start"], r["period_end"]) for r in rows(zh, text, "2024-06-24")]
    assert got[0] == ("5000名", None, "2024-05-31")
    assert got[-1] == ("三千余名", "2023-01-01", "2023-12-31")


@pytest.mark.parametrize(("text", "period"), [
    # the first months or quarters of a year run from January (zh.first_months), with or without 个
    ("今年前9个月，全国破获毒品案件2.8万起。", ("2024-01-01", "2024-09-30")),
    ("前三季度，全国破获毒品案件2.8万起。", ("2024-01-01", "2024-09-30")),
    ("2023年前5月，全省破获毒品案件280起。", ("2023-01-01", "2023-05-31")),
    ("广东前5月破获毒品案件2200起。", ("2024-01-01", "2024-05-31")),
    ("据统计，今年首九个月司警共侦破贩毒案件73宗。", ("2024-01-01", "2024-09-30")),  # 首 as 前 (Macau usage)
    # ... not the third quarter alone, nor the months before something (案发前一个月, 开展前两个月)
    ("三季度，全国破获毒品案件2.8万起。", ("2024-07-01", "2024-09-30")),
    ("今年首季，全省破获毒品案件326起。", ("2024-01-01", "2024-03-31")),  # 首季: the first quarter
    ("案发前一个月，民警在湖南一辆货车上查获冰毒5公斤。", (None, None)),
    ("专项行动开展前两个月，湖南全省共破获毒品案件120起。", (None, None)),
])
def test_the_first_months_of_a_year(zh: ZhGrammar, text: str, period: tuple[str | None, str | None]) -> None:
    assert [(r["period_start"], r["period_end"]) for r in rows(zh, text, "2024-10-26")] == [period]


@pytest.mark.parametrize(("text", "expected"), [
    # a paragraph that opens by breaking down the figure before takes its period and kind
    ("今年1至3月，德宏警方共破获毒品刑事案件326起，缴获各类毒品1216.5千克。\n\n其中，缴获海洛因43.6千克。",
     [("326起", "2024-03-31", "total"), ("1216.5千克", "2024-03-31", "total"), ("43.6千克", "2024-03-31", "total")]),
    ("今年上半年，该关共查获各类毒品28.6千克。\n\n查获的毒品中，冰毒19.3千克。",
     [("28.6千克", "2024-06-30", "total"), ("19.3千克", "2024-06-30", "total")]),
    # ... not a frame ending in 中, whose several cases are a total of their own
    ("4月12日，民警在昆明一小区查获海洛因3千克。\n\n在全省统一收网行动中，警方共破获毒品案件56起。",
     [("3千克", "2024-04-12", "incident"), ("56起", None, "total")]),
    # ... nor the largest case among them
    ("今年1至6月，全省共缴获毒品3吨。\n\n其中，最大一案缴获冰毒500公斤。",
     [("3吨", "2024-06-30", "total"), ("500公斤", None, "incident")]),
    # ... not a case told with a cue of its own
    ("今年1至5月，全省共缴获各类毒品342.6公斤。\n\n其中，株洲警方侦办的一起网络贩毒案中，查获冰毒2.6公斤。",
     [("342.6公斤", "2024-05-31", "total"), ("2.6公斤", None, "incident")]),
])
def test_a_breakdown_takes_the_period_and_kind_of_what_it_breaks_down(zh: ZhGrammar, text: str,
                                                                      expected: list) -> None:
    """`breakdown_openers` (其中) and a first clause ending in `inherit_after_suffix` (…中，)."""
    assert [(r["raw"], r["period_end"], r["kind"]) for r in rows(zh, text, "2024-07-10")] == expected


def test_when_the_news_was_told_is_no_incident_cue(zh: ZhGrammar) -> None:
    """`kind_report_verbs`: 近日 in 记者近日从…获悉 dates the telling; the six months make totals."""
    text = "记者近日从浙江省公安厅获悉，今年1至6月，全省共出动警力2.6万人次，查获涉毒驾驶人员412名。"
    assert [(r["raw"], r["kind"]) for r in rows(zh, text, "2023-07-25")] == [("2.6万人次", "total"), ("412名", "total")]


@pytest.mark.parametrize(("text", "kinds"), [
    ("近日，记者从浙江省公安厅获悉，今年1至6月，全省禁毒部门共出动警力2.6万人次。", ["total"]),  # across a comma
    ("日前，浙江省公安厅召开新闻发布会通报，今年1至6月，全省查获涉毒驾驶人员412名。", ["total"]),
    ("近日，民警在杭州查获冰毒5公斤，记者从警方获悉。", ["incident"]),  # a figure before the telling
])
def test_the_telling_of_the_news_across_commas(zh: ZhGrammar, text: str, kinds: list[str]) -> None:
    assert [r["kind"] for r in rows(zh, text, "2023-07-25")] == kinds


def test_drink_driving_is_another_subject(zh: ZhGrammar) -> None:
    text = "今年1至6月，全省对1860名吸毒成瘾人员决定强制隔离戒毒。同期，全省共查处酒驾醉驾违法行为1.9万起。"
    assert [r["raw"] for r in rows(zh, text, "2023-07-25")] == ["1860名"]


@pytest.mark.parametrize("text", [
    "今年以来，江门中院共审结毒品犯罪案件137件，判处被告人186人。",
    "法院公开宣判一起贩毒案，主犯被判处死刑；其余5名被告人分别被判处有期徒刑。",
    "检察机关共起诉毒品犯罪嫌疑人320人。",
])
def test_court_and_prosecution_figures_are_not_police_events(zh: ZhGrammar, text: str) -> None:
    """判处, 起诉, 审结, 宣判 are blockers, not arrests: the contract counts what the police did."""
    assert rows(zh, text, "2024-12-27") == []


def test_what_seized_parcels_held_is_seized(zh: ZhGrammar) -> None:
    """内有, 内藏, 内装 (seize class): the drug inside packages seized in the clause before."""
    text = "4月23日，专案组在某小区将犯罪嫌疑人李某抓获，当场查获包裹3个，内有冰毒46.5克。"
    assert ("46.5克", "drug_seizure") in [(r["raw"], r["event_type"]) for r in rows(zh, text, "2024-05-25")]


@pytest.mark.parametrize(("text", "expected"), [
    # a clause with no predicate goes on listing things of the class the clause before ended on
    ("警方缴获海洛因10.15千克，冰毒10克。", [("10.15千克", "drug_seizure"), ("10克", "drug_seizure")]),
    ("警方缴获海洛因29块、共10.15千克，冰毒10克。",
     [("29块", "drug_seizure"), ("10.15千克", "drug_seizure"), ("10克", "drug_seizure")]),
    # ... not things of another class, nor past a blocker of its own
    ("警方抓获嫌疑人6名，毒品10克。", [("6名", "arrest")]),
    ("专案组共起获毒品130余件，查实360余起毒品交易。", [("130余件", "drug_seizure")]),
    # a sum marker right after packets counted, with no coordinator, weighs them
    ("民警在书房内查获海洛因20块共7公斤、冰毒10克。",
     [("20块", "drug_seizure"), ("7公斤", "drug_seizure"), ("10克", "drug_seizure")]),
    # a phrase ending in 的 modifies the noun after the number: that noun is counted
    ("警方一举摧毁以陆丰籍大毒枭为首的18个特大制贩毒犯罪团伙，捣毁制毒工场77个。",
     [("18个", "network_dismantled"), ("77个", "network_dismantled")]),
    # what a blocker destroyed is no seizure, even when it was seized once (缴获的)
    ("禁毒委举行销毁大会，共销毁全市2005年以来缴获的海洛因2.23公斤、鸦片96.8公斤。", []),
    ("今年以来全市共缴获海洛因2.23公斤。", [("2.23公斤", "drug_seizure")]),
    # Hong Kong's 海洛英 is heroin; caffeine is a controlled drug
    ("海關檢獲的毒品包括氯胺酮443公斤、海洛英12公斤。", [("443公斤", "drug_seizure"), ("12公斤", "drug_seizure")]),
    ("全年缴获各类毒品25873.8克，其中安钠咖17722.9克、咖啡因5742.4克。",
     [("25873.8克", "drug_seizure"), ("17722.9克", "drug_seizure"), ("5742.4克", "drug_seizure")]),
    # 零 inside a word is no number (零部件: parts)
    ("海关查获一名男子利用金属零部件夹藏毒品，缴获可卡因1.56千克。", [("1.56千克", "drug_seizure")]),
    # detox under re-education through labour is compulsory treatment
    ("二〇〇五年，全国共强制戒毒二十九点八万人次，劳教戒毒七万人。",
     [("二十九点八万人次", "compulsory_treatment"), ("七万人", "compulsory_treatment")]),
    # what people carried (携, 携带) ends the noun counted; what was done to them is the first predicate that
    # fits people, else a passive later. Carrying alone seizes nothing (携带海洛因共计50公斤入境贩卖 in the past)
    ("澳門破獲販毒案 兩名台灣男子攜十一公斤K粉落網。", [("兩名", "arrest")]),
    ("警方破获一起贩毒案，三名嫌疑人携带毒品5公斤，被民警当场抓获。", [("三名", "arrest")]),
    ("据嫌疑人交代，其先后10次携带海洛因共计50公斤入境贩卖。民警当场缴获海洛因2公斤。", [("2公斤", "drug_seizure")]),
    # a list goes on only with bare things of the class (not 此前已出售, 另一批…仍下落不明)
    ("民警当场缴获冰毒2千克，嫌疑人此前已出售冰毒5千克。", [("2千克", "drug_seizure")]),
    ("民警缴获冰毒10千克，另一批冰毒20千克仍下落不明。", [("10千克", "drug_seizure")]),
    ("警方缴获海洛因5克，冰毒10克，大麻3克。",
     [("5克", "drug_seizure"), ("10克", "drug_seizure"), ("3克", "drug_seizure")]),
    # 组织 in a trafficking organisation (贩毒组织) is a noun, no predicate to carry over
    ("国际贩毒组织加紧渗透。在逾二百四十万名吸毒者中，吸食海洛英的有八十八万九千人。", []),
    # 均 after 人 is "both" when a verb follows, per capita only in its own words (人均收入)
    ("民警抓获吸毒人员5名，两人均被依法刑事拘留。", [("5名", "arrest"), ("两人", "arrest")]),
    ("全市人均收入增长，警方缴获毒品5公斤。", [("5公斤", "drug_seizure")]),
    # powder taken as evidence (提取) was seized, and is the drug its sentence names
    ("共提取白色粉末净重1555.76克，经鉴定为可卡因。", [("1555.76克", "drug_seizure")]),
    # counterfeit cigarettes are another subject, whatever enforcement words stand near them
    ("边防支队联合烟草稽查支队组成查缉小组，查获一批假冒卷烟，抓获涉案人员2名。", []),
])
def test_lists_modifiers_and_destroyed_amounts(zh: ZhGrammar, text: str, expected: list) -> None:
    assert [(r["raw"], r["event_type"]) for r in rows(zh, text, "2013-12-31")] == expected


def test_hong_kong_heroin_and_caffeine_are_named(zh: ZhGrammar) -> None:
    text = "海關檢獲海洛英12公斤。全年缴获安钠咖17722.9克、咖啡因5742.4克。"
    assert [r["drug"] for r in rows(zh, text, "2013-12-31")] == ["heroin", "caffeine", "caffeine"]


def test_a_powder_is_the_drug_its_sentence_names(zh: ZhGrammar) -> None:
    """粉末 and 晶体 are anaphors (drugs.yml): 白色粉末…鉴定为可卡因 is cocaine."""
    assert [r["drug"] for r in rows(zh, "共提取白色粉末净重1555.76克，经鉴定为可卡因。", "2020-06-01")] == ["cocaine"]


def test_a_long_list_is_read_without_recursion(zh: ZhGrammar) -> None:
    """The list-on rule walks back clause by clause: 250 drugs listed after one predicate are all seized."""
    text = "警方缴获" + "，".join(f"海洛因{i}克" for i in range(1, 251)) + "。"
    assert len(rows(zh, text, "2024-06-01")) == 250


@pytest.mark.parametrize(("text", "expected"), [
    # a person classifier counts no case: the noun after it is counted, under the verb after it
    ("福建边防破获部督特大制造冰毒案 18名嫌疑人落网", [("18名", "arrest")]),
    ("沈阳警方破获跨省贩毒案 13人落网 缴获冰毒16.53公斤", [("13人", "arrest"), ("16.53公斤", "drug_seizure")]),
    ("警方缴获冰毒拘4人", [("4人", "arrest")]),
    # ... but people counted for their licences still are (吊销证照682人)
    ("交管部门累计吊销毒驾人员证照682人。", [("682人", "licence_revoked")]),
    # an aside on how the figures were got does not stop a sentence opening on its parts, and a
    # weighed sum of several drugs names none
    ("侦查员在车上搜出装满毒品的口袋。经称量，其中海洛因1.3公斤、冰毒12.7公斤，合计净重14公斤。",
     [("1.3公斤", "drug_seizure"), ("12.7公斤", "drug_seizure"), ("14公斤", "drug_seizure")]),
    # a lone multiplier before 余/多 is a round number; a weight word before a qualifier still weighs
    ("总队调集边防支队官兵百余名收网，抓获贩毒嫌疑人千多人。", [("百余名", "deployment"), ("千多人", "arrest")]),
    ("边检站查获海洛因28块 重逾万克", [("28块", "drug_seizure"), ("万克", "drug_seizure")]),
    ("禁毒工作开展了百余年，缴获冰毒5克。", [("5克", "drug_seizure")]),
    # a predicate holding its object (破毒案); 拘 arrests; a market value is money
    ("广东2017至2019年破毒案3.3万余宗 缴毒27吨", [("3.3万余宗", "case_solved"), ("27吨", "drug_seizure")]),
    ("澳門司警拘兩名港人涉販毒 檢獲毒品市值38萬", [("兩名", "arrest")]),
    # a sum with nothing listed before it weighs the thing named last, under the predicate before
    ("民警从其提包里搜出一袋疑似冰毒的晶体，经鉴定确为冰毒，共计12克。", [("12克", "drug_seizure")]),
    ("海关查获一批可疑物品。经鉴定，这批物品是来自印度的大麻脂，共计7.942公斤。", [("7.942公斤", "drug_seizure")]),
    ("全省禁毒工作成效显著，共计12吨。", []),
    # ... not after an account of what was sold or smuggled
    ("民警从其住处查获冰毒50克。经审讯，王某交代自今年3月以来先后向他人贩卖冰毒，共计1.2公斤。",
     [("50克", "drug_seizure")]),
    ("民警在其车内查获海洛因2块。经查，该团伙自2022年以来从境外走私海洛因入境，共计30余公斤。",
     [("2块", "drug_seizure")]),
])
def test_classifiers_asides_and_headline_verbs(zh: ZhGrammar, text: str, expected: list) -> None:
    assert [(r["raw"], r["event_type"]) for r in rows(zh, text, "2020-06-01")] == expected


def test_a_weighed_sum_of_several_drugs_names_none(zh: ZhGrammar) -> None:
    rows_ = rows(zh, "民警缴获海洛因1公斤、冰毒2公斤，合计净重3公斤。", "2020-06-01")
    assert [r["drug"] for r in rows_] == ["heroin", "methamphetamine", None]


def test_men_and_women_from_a_place_are_not_attributed_to_it(zh: ZhGrammar) -> None:
    text = "澳门司法警察局先后拘捕2名涉嫌贩毒的香港男女。"
    assert [r["provinces"] for r in rows(zh, text, "2020-06-01")] == [["CN-MO"]]


def test_a_list_reads_each_quantity_once(zh: ZhGrammar, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each item of a list reads the items before it: remembered per sentence, a list of 14 bare
    quantities is read in as many readings as it has items (else once a path: exponential)."""
    from pipeline.grammar.zh import events

    calls = 0
    read = events.ZhEventReader._read

    def counted(self: Any, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        return read(self, *args)

    monkeypatch.setattr(events.ZhEventReader, "_read", counted)
    text = "毒品案件中，民警查获、查缉、扣押" + "、".join(f"{i}辆" for i in range(1, 15)) + "被收缴。"
    assert rows(zh, text, "2024-06-01") == []
    assert calls <= 14 * 4
