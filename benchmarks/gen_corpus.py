#!/usr/bin/env python3
"""Synthetic corpus generator for gkpub benchmarks.

    python benchmarks/gen_corpus.py --items N --out DIR [--seed S] [--hugo HDIR] [--check]

--out DIR   writes a complete gkpub site directory: a copy of the repo's site.toml,
            content/catalog/<slug>.yaml (8 domains) and N items under
            content/items/<domain>/<matter>/.
--hugo HDIR writes the same corpus as a Hugo site (hugo.toml, content/, layouts/),
            equivalent in work to what gkpub renders: one page per item and
            paginated lists per stage, per domain and per organisation.
--check     re-reads every generated gkpub item with PyYAML and checks the invariants
            (front matter parses, 索引号 unique, 目录 exists, dates, masking).

The output is a pure function of (--items, --seed, site.toml).  Only the standard
library is needed to generate; PyYAML is used for the catalogue files and --check.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STAGES = ("决策", "执行", "管理", "服务", "结果")
STAGE_SLUGS = {"决策": "juece", "执行": "zhixing", "管理": "guanli", "服务": "fuwu", "结果": "jieguo"}

DATE_MIN = dt.date(2024, 1, 1)
DATE_MAX = dt.date(2026, 10, 31)

GOV_LAW = "《中华人民共和国政府信息公开条例》"
DEFAULT_TIME_LIMIT = "自信息形成或变更之日起20个工作日内"

# --------------------------------------------------------------------------- leaves
# code -> properties of a catalogue leaf kind.
#   stage, 要素, 公开时限 (None: default), max gap 成文->发布 in calendar days (kept within
#   the time limit), channels, levels, formats, 更新周期, weight (share of items),
#   table probability, 文号 probability, headings, title templates.
LEAF_KINDS: dict[str, dict] = {
    "zhengce": dict(
        name="政策文件", stage="决策", elems=["政策依据", "适用对象", "保障标准", "办理程序"],
        limit=None, gap=10, channels=["政府网站", "政府公报"], levels=["区县级"], formats=["文本"],
        period="6个月", weight=1.5, table=0.05, docno=0.95,
        heads=["总则", "适用范围", "保障标准", "申请条件", "办理程序", "监督管理", "附则"],
        titles=["关于印发《{d}{mt}实施办法》的通知", "关于调整{y}年{d}{mt}标准的通知",
                "关于进一步做好{mt}工作的实施意见", "关于印发《{d}{y}年{mt}工作方案》的通知",
                "{d}{mt}管理办法（{y}年修订）"]),
    "jiedu": dict(
        name="政策解读", stage="决策", elems=["出台背景", "主要内容", "解读机关"],
        limit="3个工作日", gap=2, channels=["政府网站", "两微一端"], levels=["区县级"],
        formats=["文本", "图表"], period=None, weight=1.0, table=0.0, docno=0.0,
        heads=["出台背景", "主要内容", "适用对象", "与原政策相比的主要变化", "解读机关及联系方式"],
        titles=["图解：{y}年{d}{mt}政策", "一图读懂{d}{mt}政策"]),
    "guihua": dict(
        name="规划计划", stage="决策", elems=["规划名称", "主要目标", "重点任务"],
        limit=None, gap=10, channels=["政府网站"], levels=["区县级"], formats=["文本"],
        period=None, weight=1.0, table=0.05, docno=0.7,
        heads=["指导思想", "工作目标", "重点任务", "保障措施"],
        titles=["{d}{y}年{mt}工作要点", "{d}{y}年{mt}实施方案", "{d}{y}年{mt}工作计划"]),
    "banshi": dict(
        name="办事指南", stage="服务",
        elems=["事项名称", "办理条件", "申请材料", "办理流程", "办理时限", "收费标准", "咨询电话"],
        limit=None, gap=10, channels=["政府网站", "政务服务中心", "便民服务站", "两微一端"],
        levels=["区县级", "街镇级"], formats=["文本"], period=None, weight=1.5, table=0.05,
        docno=0.0,
        heads=["事项名称", "办理依据", "申请条件", "申请材料", "办理流程", "办理时限", "收费标准",
               "办理地点和时间", "咨询电话"],
        titles=["{mt}办事指南", "{d}{mt}申请办事指南（{y}年版）", "{mt}办理流程及所需材料"]),
    "minglu": dict(
        name="服务机构名录", stage="服务", elems=["机构名称", "服务内容", "地址电话"],
        limit=None, gap=10, channels=["政府网站", "政务服务中心"], levels=["区县级"],
        formats=["文本", "图表"], period=None, weight=1.0, table=0.1, docno=0.0,
        heads=["基本情况", "机构名录", "服务内容", "联系方式"],
        titles=["{d}{mt}服务机构名录（{y}年{q}更新）", "{d}{y}年{mt}定点服务机构名单"]),
    "xinxi": dict(
        name="服务信息", stage="服务", elems=["服务内容", "办理方式", "温馨提示"],
        limit="即时", gap=0, channels=["政府网站", "两微一端", "精准推送"], levels=["区县级"],
        formats=["文本"], period=None, weight=2.0, table=0.1, docno=0.05,
        heads=["基本情况", "服务内容", "办理方式", "温馨提示"],
        titles=["{d}{y}年{m}月{mt}服务信息", "{org}{y}年{m}月{mt}信息发布",
                "关于做好{y}年{mt}服务工作的提示"]),
    "zijin": dict(
        name="资金发放", stage="执行", elems=["资金来源", "分配标准", "发放金额", "发放时间"],
        limit=None, gap=10, channels=["政府网站", "社区/村/企事业单位公示栏"],
        levels=["区县级", "街镇级"], formats=["文本", "图表"], period=None, weight=3.0,
        table=0.75, docno=0.3,
        heads=["资金来源", "分配原则", "发放情况", "监督方式"],
        titles=["{d}{y}年{q}{mt}资金发放情况公示", "{d}{y}年{mt}资金分配方案",
                "{d}{y}年{m}月{mt}资金发放情况"]),
    "jinzhan": dict(
        name="工作动态", stage="执行", elems=["工作部署", "实施进度", "工作成效"],
        limit=None, gap=10, channels=["政府网站", "两微一端"], levels=["区县级"],
        formats=["文本"], period="6个月", weight=4.0, table=0.15, docno=0.05,
        heads=["工作开展情况", "主要成效", "存在问题", "下一步工作打算"],
        titles=["{org}召开{y}年{mt}工作推进会", "{d}{y}年{h}{mt}工作进展情况",
                "{d}扎实推进{mt}工作", "{d}{y}年{m}月{mt}工作动态"]),
    "jiancha": dict(
        name="监督检查", stage="管理", elems=["检查依据", "检查对象", "检查结果", "整改情况"],
        limit=None, gap=10, channels=["政府网站"], levels=["区县级"], formats=["文本"],
        period=None, weight=2.0, table=0.4, docno=0.4,
        heads=["检查基本情况", "发现的主要问题", "整改要求", "下一步工作"],
        titles=["{d}{y}年{mt}专项检查情况通报", "{d}{y}年{q}{mt}监督检查结果公告",
                "关于{y}年{mt}专项整治情况的通报"]),
    "shuangsuiji": dict(
        name="双随机抽查", stage="管理", elems=["抽查依据", "抽查对象", "抽查结果", "后续处置"],
        limit=None, gap=10, channels=["政府网站"], levels=["区县级"], formats=["文本", "图表"],
        period=None, weight=2.0, table=0.5, docno=0.3,
        heads=["抽查依据", "抽查对象和内容", "抽查结果", "后续处置"],
        titles=["{org}{y}年{q}“双随机、一公开”抽查结果公示", "{d}{y}年{mt}随机抽查计划及结果"]),
    "tongji": dict(
        name="统计数据", stage="结果", elems=["统计口径", "分项数据", "数据说明"],
        limit=None, gap=10, channels=["政府网站"], levels=["区县级"], formats=["文本", "图表"],
        period=None, weight=2.0, table=0.1, docno=0.0,
        heads=["总体情况", "分项数据", "数据说明"],
        titles=["{d}{y}年{m}月{mt}统计数据", "{d}{y}年{q}{mt}情况统计"]),
    "mingdan": dict(
        name="发放名单", stage="结果", elems=["对象名单", "补助标准", "公示期", "监督电话"],
        limit="10个工作日", gap=10, channels=["政府网站", "社区/村/企事业单位公示栏"],
        levels=["区县级", "街镇级", "村/社区"], formats=["文本"], period=None, weight=5.0,
        table=0.95, docno=0.2,
        heads=["公示对象", "审核情况", "公示期限及监督方式"],
        titles=["{d}{y}年{q}{mt}发放名单公示", "{d}{y}年{m}月{mt}新增对象公示",
                "{d}{y}年第{n}批{mt}拟享受对象名单公示"]),
    "chufa": dict(
        name="处罚决定", stage="结果", elems=["当事人", "违法事实", "处罚依据", "处罚结果"],
        limit="7个工作日", gap=7, channels=["政府网站"], levels=["区县级"], formats=["文本"],
        period=None, weight=5.0, table=0.5, docno=1.0,
        heads=["当事人基本情况", "违法事实", "处罚依据", "处罚决定", "救济途径"],
        titles=["{org}行政处罚决定书（{wh}）", "{d}{y}年{m}月行政处罚案件信息公开"]),
    "xuke": dict(
        name="许可结果", stage="结果", elems=["许可事项", "许可结果", "有效期限"],
        limit="7个工作日", gap=7, channels=["政府网站"], levels=["区县级"], formats=["文本"],
        period=None, weight=3.0, table=0.6, docno=0.5,
        heads=["许可事项", "办理结果", "有效期限", "监督方式"],
        titles=["{d}{y}年{m}月{mt}结果公示", "{y}年{mt}结果公告（第{n}期）"]),
    "jieguo": dict(
        name="办理结果", stage="结果", elems=["办理情况", "办理结果"],
        limit=None, gap=10, channels=["政府网站"], levels=["区县级"], formats=["文本"],
        period=None, weight=2.0, table=0.55, docno=0.1,
        heads=["办理情况", "办理结果", "监督方式"],
        titles=["{d}{y}年{mt}办理结果公示", "{d}{y}年{q}{mt}结果公告"]),
}

# --------------------------------------------------------------------------- domains
# (slug, name, 类别, 公开主体, 说明, laws, dept code, township-issued?, matters)
# matter: (code, name, 事项类型, leaves, 公开主体 override or None); a leaf is "code" or
# "code:名称" to rename the leaf within that matter.
DOMAINS = [
    ("jiuzhu", "社会救助", "公共服务事项", "青禾区民政局",
     "城乡低保、特困供养、临时救助等社会救助事项的公开目录。",
     ["《社会救助暂行办法》", "《最低生活保障审核确认办法》", "《特困人员认定办法》"], "MZ", True, [
         ("dibao", "城乡低保", "行政给付", ["zhengce", "banshi", "zijin", "mingdan"], None),
         ("tekun", "特困人员救助供养", "行政给付", ["zhengce", "banshi", "mingdan:供养对象名单"], None),
         ("linshi", "临时救助", "行政给付", ["banshi", "zijin", "jiancha"], None),
         ("canji", "残疾人两项补贴", "行政给付",
          ["jiedu", "jinzhan", "mingdan:补贴对象名单", "jiancha"], None),
     ]),
    ("yanglao", "养老服务", "公共服务事项", "青禾区民政局",
     "老年人福利补贴、养老机构管理、居家养老服务等事项的公开目录。",
     ["《中华人民共和国老年人权益保障法》", "《养老机构管理办法》"], "MZ", True, [
         ("gaoling", "高龄津贴", "行政给付", ["zhengce", "banshi", "mingdan"], None),
         ("jigou", "养老机构管理", "行政检查", ["minglu:养老机构名录", "jiancha", "jinzhan"], None),
         ("jujia", "居家和社区养老服务", "公共服务",
          ["guihua", "zijin", "banshi", "tongji"], None),
     ]),
    ("jiuye", "就业创业", "公共服务事项", "青禾区人力资源和社会保障局",
     "就业补贴、创业扶持、职业培训和招聘信息的公开目录。",
     ["《中华人民共和国就业促进法》", "《就业补助资金管理办法》"], "RS", False, [
         ("butie", "就业补贴", "行政给付", ["zhengce", "banshi", "zijin", "mingdan:补贴发放名单"], None),
         ("danbao", "创业担保贷款", "公共服务", ["jiedu", "banshi", "mingdan:贴息名单"], None),
         ("peixun", "职业技能培训", "公共服务", ["guihua", "jinzhan", "jiancha"], None),
         ("zhaopin", "招聘信息", "公共服务",
          ["guihua:招聘计划", "xinxi:招聘岗位信息", "jieguo:招聘结果"], None),
     ]),
    ("shebao", "社会保险", "公共服务事项", "青禾区人力资源和社会保障局",
     "城乡居民养老保险、医疗保险、工伤保险等事项的公开目录。",
     ["《中华人民共和国社会保险法》", "《工伤保险条例》", "《医疗保障基金使用监督管理条例》"],
     "RS", False, [
         ("yanglao", "城乡居民养老保险", "行政给付", ["zhengce", "banshi", "tongji"], None),
         ("yiliao", "城乡居民医疗保险", "行政给付",
          ["jiedu", "banshi", "zijin:基金使用情况", "jiancha:基金监管"], "青禾区医疗保障局"),
         ("gongshang", "工伤保险", "行政确认", ["banshi", "xuke:认定结果", "jinzhan"], None),
     ]),
    ("weijian", "卫生健康", "公共服务事项", "青禾区卫生健康局",
     "基本公共卫生服务、医疗机构监管和计划生育奖励扶助的公开目录。",
     ["《中华人民共和国基本医疗卫生与健康促进法》", "《医疗机构管理条例》"], "WJ", False, [
         ("gongwei", "基本公共卫生服务", "公共服务", ["guihua", "zijin", "jinzhan", "tongji"], None),
         ("jianguan", "医疗机构监管", "行政检查",
          ["shuangsuiji", "chufa", "minglu:医疗机构名录"], None),
         ("jisheng", "计划生育奖励扶助", "行政给付",
          ["zhengce", "banshi", "mingdan:扶助对象名单"], None),
     ]),
    ("shenong", "涉农补贴", "重点工作", "青禾区农业农村局",
     "耕地地力保护、农机购置、种粮补贴和乡村振兴项目的公开目录。",
     ["《中华人民共和国农业法》", "《农业相关转移支付资金管理办法》"], "NY", True, [
         ("gengdi", "耕地地力保护补贴", "行政给付", ["zhengce", "jiedu", "zijin", "mingdan"], None),
         ("nongji", "农机购置与应用补贴", "行政给付", ["banshi", "mingdan:补贴名单", "jiancha"], None),
         ("zhongliang", "种粮农民一次性补贴", "行政给付", ["zhengce", "zijin", "mingdan"], None),
         ("xiangcun", "乡村振兴项目", "其他行政行为",
          ["guihua:项目计划", "jinzhan:项目进展", "jieguo:项目验收"], None),
     ]),
    ("zhifa", "城市综合执法", "权力事项", "青禾区城市管理综合行政执法局",
     "城市管理领域行政处罚、行政检查和市容环境事项的公开目录。",
     ["《中华人民共和国行政处罚法》", "《城市市容和环境卫生管理条例》"], "ZF", False, [
         ("chufa", "行政处罚", "行政处罚",
          ["zhengce:裁量基准", "chufa", "tongji:执法统计"], None),
         ("jiancha", "行政检查", "行政检查",
          ["guihua:检查计划", "shuangsuiji", "jinzhan:执法动态"], None),
         ("shirong", "市容环境卫生", "行政许可",
          ["banshi", "jinzhan", "xuke"], None),
     ]),
    ("huji", "户籍管理", "公共服务事项", "云岭市公安局青禾分局",
     "户口迁移、居民身份证办理和人才落户的公开目录。",
     ["《中华人民共和国户口登记条例》", "《中华人民共和国居民身份证法》"], "GA", False, [
         ("qianyi", "户口迁移", "行政确认", ["zhengce", "banshi", "tongji"], None),
         ("shenfenzheng", "居民身份证", "公共服务", ["banshi", "xinxi", "jinzhan"], None),
         ("luohu", "人才落户", "行政确认",
          ["jiedu", "banshi", "jieguo:落户结果", "jiancha"], None),
     ]),
]

TOWNSHIP_LEAVES = ("mingdan", "zijin", "jinzhan")
EXTRA_HEADS = ("工作要求", "其他事项", "联系方式")

# --------------------------------------------------------------------------- text pools
CN_NUM = "一二三四五六七八九十"
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
SURNAMES = ("张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢"
            "蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙段雷")
MOBILE_PREFIX = ("130", "133", "135", "138", "139", "150", "151", "158", "177", "186", "187", "189")

GENERIC = [
    "{d}坚持以人民为中心的发展思想，将{mt}工作纳入年度重点民生工程，健全工作机制，压实工作责任。",
    "各街道（乡镇）要严格落实属地责任，加强部门协同配合，确保{mt}各项政策措施落到实处。",
    "{org}将持续加强政策宣传和业务培训，不断提升基层经办人员的业务能力和服务水平。",
    "全区各级各部门要进一步提高思想认识，切实增强做好{mt}工作的责任感和紧迫感。",
    "工作中要坚持公开、公平、公正原则，主动接受社会监督，切实维护群众合法权益。",
    "相关工作情况将通过政府网站、政务新媒体和村（社区）公示栏等渠道及时向社会公开。",
]
FILLER = [
    "{org}将认真听取群众意见建议，不断改进工作方法，提升服务质量。",
    "各相关单位要加强信息报送，每月5日前将上月工作情况报{org}汇总。",
    "对工作中推诿扯皮、敷衍塞责的，将依规依纪严肃问责。",
    "请各单位结合实际抓好贯彻落实，执行中遇到的问题及时向{org}反映。",
    "本公告内容以政府网站发布的为准，未尽事宜由{org}负责解释。",
    "欢迎社会各界和广大群众对{mt}工作进行监督。",
]
POOLS = {
    "决策": [
        "根据{law}等有关规定，结合我区实际，制定本办法。",
        "本办法适用于本区行政区域内{mt}的申请、审核、发放及监督管理等工作。",
        "{mt}标准由区人民政府根据本区经济社会发展水平和物价变动情况适时调整，并向社会公布。",
        "自{y}年{m}月1日起，{d}{mt}标准调整为每人每月{std}元，所需资金由区级财政统筹安排。",
        "区相关部门按照各自职责分工，密切配合，共同做好{mt}相关工作。",
        "本办法自印发之日起施行，有效期五年。此前有关规定与本办法不一致的，以本办法为准。",
        "为贯彻落实{law}，进一步规范{mt}工作，{org}在深入调研、广泛征求意见的基础上起草了本文件。",
        "与原政策相比，本次调整主要有三个方面的变化：一是扩大了保障范围，二是提高了补助标准，三是简化了办理流程。",
        "政策实施后，预计全区将有约{a}名群众受益，年增加财政投入约{amt}万元。",
    ],
    "服务": [
        "申请人可向户籍所在地街道（乡镇）便民服务中心提出申请，也可通过政务服务网在线办理。",
        "受理机关应当自受理之日起{c}个工作日内完成审核，符合条件的予以办理，不符合条件的书面告知理由。",
        "本事项不收取任何费用。",
        "办理时间：周一至周五上午9:00—12:00，下午14:00—17:30（法定节假日除外）。",
        "办理地点：{addr}，{d}政务服务中心综合受理窗口。",
        "申请材料不齐全或者不符合法定形式的，受理机关应当一次性告知申请人需要补正的全部内容。",
        "群众对政策有疑问的，可在工作日拨打{ph}咨询，也可通过区政府网站“政民互动”栏目留言。",
    ],
    "执行": [
        "{y}年{q}，{d}共发放{mt}资金{amt}万元，惠及{a}人次，资金已通过“一卡通”直接发放到户。",
        "截至{y}年{m}月底，全区累计受理{mt}申请{a}件，办结{b}件，办结率{p}%。",
        "{m}月以来，{org}组织工作人员深入{c}个村（社区）开展政策宣传和入户走访，发放宣传资料{b}份。",
        "会议总结了前一阶段{mt}工作开展情况，分析了存在的困难和问题，对下一步工作进行了安排部署。",
        "资金发放严格执行“村级初审、街镇复审、区级审定”程序，确保资金安全、规范、高效使用。",
        "下一步，{org}将进一步细化工作措施，加快工作进度，确保全年目标任务按期完成。",
    ],
    "管理": [
        "{y}年{m}月，{org}组织开展了{mt}专项检查，共检查单位（对象）{a}个，发现问题{c}个。",
        "检查采取“双随机、一公开”方式，随机抽取检查对象、随机选派执法检查人员，抽查结果依法向社会公开。",
        "对检查中发现的问题，已当场下达整改通知书，责令相关单位限期整改，目前整改完成率{p}%。",
        "下一步，{org}将建立问题整改台账，实行销号管理，对整改不到位的依法依规严肃处理。",
        "检查结果纳入年度绩效考核，并作为资金分配的重要参考。",
    ],
    "结果": [
        "经个人申请、村（社区）初审、街道（乡镇）审核和区级审定，现将{y}年{q}{mt}有关情况予以公布。",
        "本期共有{hh}户{pp}人符合条件，发放金额合计{amt}万元。",
        "公示期自{pub}起至{end}止。公示期内，任何单位和个人如有异议，可通过电话、信函或来访等方式向{org}反映。",
        "监督电话：{sph}；通讯地址：{addr}。",
        "对公示内容有异议的，受理机关将在{c}个工作日内进行核实并反馈处理结果。",
        "当事人对决定不服的，可以在收到决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。",
        "{y}年{m}月，{d}共办结{mt}事项{b}件，其中按时办结率{p}%，群众满意率{p}%。",
        "对经核查不符合条件的{c}户，已书面告知本人并说明理由。",
        "以上结果经{org}集体研究审定，现予公布。",
    ],
}
LISTS = {
    "决策": ["具有本区户籍并在本区实际居住", "家庭人均收入低于本区规定标准", "家庭财产状况符合规定条件",
             "无法定赡养、抚养或扶养义务人，或者其义务人无履行能力", "自愿接受入户调查和家庭经济状况信息核对"],
    "服务": ["申请人有效身份证件原件及复印件", "户口簿原件及复印件", "家庭成员收入情况申报表",
             "本人银行账户信息", "授权核对家庭经济状况声明书", "其他需要提供的证明材料"],
    "执行": ["加强组织领导，明确责任分工", "规范审核程序，严格把关", "强化资金监管，确保专款专用",
             "做好政策宣传，提高群众知晓率", "建立工作台账，实行动态管理"],
    "管理": ["档案资料不完整、不规范", "个别对象未及时动态调整", "公示不及时、公示内容不全面",
             "资金发放台账登记不规范", "政策宣传不够深入"],
    "结果": ["公示期满无异议的，按规定程序办理", "公示期内有异议的，经核实后作出处理",
             "相关结果纳入动态管理台账", "名单在村（社区）公示栏同步张贴"],
}
VIOLATIONS = ("占道经营", "乱堆乱放", "未按规定设置户外广告", "违规倾倒建筑垃圾", "擅自占用城市绿地",
              "违法搭建", "未按规定收集餐厨垃圾", "损坏市政设施")
PENALTIES = ("警告", "罚款200元", "罚款500元", "责令改正并罚款1000元", "责令限期拆除", "罚款2000元")
OUTCOMES = ("准予办理", "予以认定", "符合条件", "准予许可", "不予认定", "材料补正后办理")
DELETION_NOTE = "删去了涉及个人隐私的家庭住址和联系方式，依据《中华人民共和国政府信息公开条例》第十五条。"

# Self-check: nothing that looks like an unmasked ID number or mobile number may be written.
UNMASKED_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
UNMASKED_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


# --------------------------------------------------------------------------- helpers
def ymd(d: dt.date) -> str:
    return d.isoformat()


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def yaml_str(s: str) -> str:
    """A YAML scalar for s: plain when safe, else a JSON/YAML double-quoted string."""
    if not s or s[0] in "-?:,[]{}#&*!|>'\"%@` " or any(c in s for c in ":#\n\"'") \
            or s in ("true", "false", "null", "yes", "no", "~"):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


def yaml_list(xs) -> str:
    return "[" + ", ".join(yaml_str(x) for x in xs) + "]"


def weekday_on_or_before(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def weekday_on_or_after(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def load_site(path: Path) -> dict:
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    orgs = cfg.get("org", [])
    if not orgs:
        sys.exit(f"{path}: no [[org]] entries")
    return cfg


# --------------------------------------------------------------------------- catalogue
class Leaf:
    __slots__ = ("domain", "matter", "code", "name", "kind", "org", "path", "weight")


def build_catalog(org_by_name: dict) -> tuple[list[dict], list[Leaf]]:
    """Returns (catalogue documents, flat list of leaves)."""
    docs, leaves = [], []
    for di, (slug, dname, cls, org, desc, laws, dept, _town, matters) in enumerate(DOMAINS):
        if org not in org_by_name:
            sys.exit(f"catalogue domain {dname}: 公开主体 {org} is not an [[org]] in site.toml")
        stages_seen = set()
        mdocs = []
        for mi, (mcode, mname, mtype, mleaves, morg) in enumerate(matters):
            if morg and morg not in org_by_name:
                sys.exit(f"matter {mname}: 公开主体 {morg} is not an [[org]] in site.toml")
            ldocs = []
            for spec in mleaves:
                code, _, lname = spec.partition(":")
                k = LEAF_KINDS[code]
                lname = lname or k["name"]
                stages_seen.add(k["stage"])
                basis = laws[: 1 + (len(ldocs) % 2)] + [GOV_LAW + "第二十条"]
                ld = {"名称": lname, "代码": code, "过程": k["stage"], "要素": list(k["elems"]),
                      "公开依据": basis}
                if k["limit"]:
                    ld["公开时限"] = k["limit"]
                ld["公开渠道"] = list(k["channels"])
                ld["公开对象"] = "全社会"
                ld["公开方式"] = "主动公开"
                ld["公开层级"] = list(k["levels"])
                ld["公开格式"] = list(k["formats"])
                if k["period"]:
                    ld["更新周期"] = k["period"]
                ldocs.append(ld)
                leaf = Leaf()
                leaf.domain, leaf.matter, leaf.code, leaf.name, leaf.kind = slug, mcode, code, lname, k
                leaf.org = morg or org
                leaf.path = f"{dname}/{mname}/{lname}"
                leaf.weight = k["weight"]
                leaves.append(leaf)
            md = {"名称": mname, "代码": mcode, "事项类型": mtype,
                  "事项编码": f"539901-{dept}-{(di + 1) * 100 + mi + 1:04d}"}
            if morg:
                md["公开主体"] = morg
            md["公开内容"] = ldocs
            mdocs.append(md)
        missing = [s for s in STAGES if s not in stages_seen]
        assert not missing, f"domain {dname} misses stages {missing}"
        docs.append({"领域": dname, "类别": cls, "说明": desc, "公开主体": org, "事项": mdocs,
                     "_slug": slug})
    # the leaf table's matter/leaf codes must be unique where gkpub needs them
    seen = set()
    for lf in leaves:
        key = (lf.domain, lf.matter, lf.code)
        assert key not in seen, key
        seen.add(key)
    return docs, leaves


def write_catalog(docs: list[dict], out: Path, seed: int) -> None:
    import yaml

    cdir = out / "content" / "catalog"
    cdir.mkdir(parents=True, exist_ok=True)
    for d in docs:
        d = dict(d)
        slug = d.pop("_slug")
        text = yaml.safe_dump(d, allow_unicode=True, sort_keys=False, default_flow_style=None,
                              width=1000)
        (cdir / f"{slug}.yaml").write_text(
            f"# 基准测试用的合成目录（benchmarks/gen_corpus.py，seed {seed}）\n" + text,
            encoding="utf-8")


# --------------------------------------------------------------------------- items
class Item:
    __slots__ = ("i", "leaf", "org", "township", "pub", "wr", "attr", "serial", "index_no",
                 "docno", "title", "body", "interprets", "fm_extra", "has_table")


def pick_dates(rng: random.Random, span: int, gap_max: int) -> tuple[dt.date, dt.date]:
    pub = weekday_on_or_before(DATE_MIN + dt.timedelta(days=rng.randrange(span)))
    if pub < DATE_MIN:
        pub = weekday_on_or_after(DATE_MIN)
    wr = pub - dt.timedelta(days=rng.randint(0, gap_max))
    wr = weekday_on_or_after(wr)
    if wr > pub:
        wr = pub
    if wr < DATE_MIN:
        wr = pub
    return pub, wr


def generate(n: int, seed: int, cfg: dict):
    rng = random.Random(seed)
    orgs = cfg["org"]
    org_by_name = {o["name"]: o for o in orgs}
    gov_name = cfg.get("site", {}).get("government") or orgs[0]["name"]
    district = cfg.get("site", {}).get("district", "青禾区")
    townships = [t for t in cfg.get("township", []) if t.get("org") in org_by_name]
    docs, leaves = build_catalog(org_by_name)
    town_domains = {d[0] for d in DOMAINS if d[7]}

    cum, acc = [], 0.0
    for lf in leaves:
        acc += lf.weight
        cum.append(acc)
    chosen = rng.choices(leaves, cum_weights=cum, k=n)
    span = (DATE_MAX - DATE_MIN).days + 1

    items: list[Item] = []
    for i, lf in enumerate(chosen):
        it = Item()
        it.i, it.leaf, it.township, it.interprets = i, lf, None, None
        it.org = lf.org
        code = lf.code
        if code == "zhengce" and rng.random() < 0.12 and gov_name in org_by_name:
            it.org = gov_name
        elif code in TOWNSHIP_LEAVES and lf.domain in town_domains and townships \
                and rng.random() < 0.35:
            t = rng.choice(townships)
            it.township, it.org = t, t["org"]
        it.pub, it.wr = pick_dates(rng, span, lf.kind["gap"])
        r = rng.random()
        it.attr = ("依申请公开" if r < 0.01 else "不予公开" if r < 0.02
                   else "删减后公开" if r < 0.03 else "主动公开")
        items.append(it)

    # interpretations go out with (0-2 days after) a published policy of the same domain
    policies: dict[str, list[Item]] = {}
    for it in items:
        if it.leaf.code == "zhengce" and it.attr in ("主动公开", "删减后公开"):
            policies.setdefault(it.leaf.domain, []).append(it)
    for it in items:
        if it.leaf.code != "jiedu":
            continue
        pool = policies.get(it.leaf.domain)
        if not pool:
            continue
        pol = pool.pop(rng.randrange(len(pool)))
        it.interprets = pol
        it.org = pol.org
        it.township = None
        pub = weekday_on_or_after(pol.pub + dt.timedelta(days=rng.randint(0, 2)))
        if pub > DATE_MAX:
            pub = pol.pub
        it.pub = pub
        wr = weekday_on_or_after(pub - dt.timedelta(days=rng.randint(0, 1)))
        it.wr = min(wr, pub)
        it.attr = "主动公开"

    # 索引号: serial per (org, year of 发布日期), in publication order
    code_of = {o["name"]: o["code"] for o in orgs}
    order = sorted(items, key=lambda x: (code_of[x.org], x.pub, x.i))
    last, serial = None, 0
    for it in order:
        key = (it.org, it.pub.year)
        serial = serial + 1 if key == last else 1
        last = key
        it.serial = serial
        it.index_no = f"{code_of[it.org]}/{it.pub.year}-{serial:05d}"

    # 文号: per (机关代字, year of 成文日期), in order of 成文日期
    wants = []
    for it in items:
        k = it.leaf.kind
        it.docno = None
        if rng.random() < k["docno"]:
            prefixes = org_by_name[it.org].get("doc_prefix") or []
            if not prefixes:
                continue
            code = it.leaf.code
            if code == "chufa":
                pf = next((p for p in prefixes if "罚" in p), prefixes[0])
            elif code in ("zhengce", "guihua"):
                pf = prefixes[rng.randrange(min(2, len(prefixes)))] if it.org == gov_name \
                    else prefixes[0]
            else:
                pf = prefixes[1] if len(prefixes) > 1 and "罚" not in prefixes[1] else prefixes[0]
            wants.append((pf, it))
    wants.sort(key=lambda x: (x[0], x[1].wr, x[1].i))
    last, seq = None, 0
    for pf, it in wants:
        key = (pf, it.wr.year)
        seq = seq + 1 if key == last else 1
        last = key
        it.docno = f"{pf}〔{it.wr.year}〕{seq}号"

    # titles (policies first: interpretations quote them), bodies, extra front matter
    for it in items:
        if it.leaf.code != "jiedu":
            compose(it, rng, cfg, org_by_name, district)
    for it in items:
        if it.leaf.code == "jiedu":
            compose(it, rng, cfg, org_by_name, district)
    return docs, items


def compose(it: Item, rng: random.Random, cfg: dict, org_by_name: dict, district: str) -> None:
    lf, k = it.leaf, it.leaf.kind
    org = org_by_name[it.org]
    dom = next(d for d in DOMAINS if d[0] == lf.domain)
    mname = next(m[1] for m in dom[8] if m[0] == lf.matter)
    area = it.township["name"] if it.township else district
    wr = it.wr
    q = QUARTERS[(wr.month - 1) // 3]
    pub_end = it.pub + dt.timedelta(days=7)
    v = {
        "d": area, "mt": mname, "org": org["name"], "y": wr.year, "m": wr.month, "q": q,
        "h": "上半年" if wr.month <= 6 else "下半年", "n": CN_NUM[rng.randrange(6)],
        "wh": it.docno or "", "law": rng.choice(dom[5]), "a": rng.randint(12, 3800),
        "b": rng.randint(10, 2600), "c": rng.randint(3, 30), "p": rng.randint(86, 100),
        "hh": (hh := rng.randint(8, 900)), "pp": hh + rng.randint(0, hh),
        "amt": f"{rng.randint(5, 2400)}.{rng.randint(0, 99):02d}",
        "std": rng.choice((680, 720, 760, 800, 850, 900)), "ph": org.get("phone", ""),
        "sph": org.get("supervision_phone", ""), "addr": org.get("address", ""),
        "pub": cn_date(it.pub), "end": cn_date(pub_end),
    }
    # title
    if lf.code == "jiedu" and it.interprets is not None:
        pt = it.interprets.title
        m = re.search(r"《(.+?)》", pt)
        it.title = f"《{m.group(1)}》政策解读" if m else f"关于《{pt}》的政策解读"
    else:
        tpls = k["titles"]
        if not it.docno:
            tpls = [t for t in tpls if "{wh}" not in t] or tpls
        it.title = rng.choice(tpls).format(**v)

    # body
    stage = k["stage"]
    pool, lst = POOLS[stage], LISTS[stage]
    target = rng.randint(300, 1200)
    opening_tpl = rng.choice(pool)
    opening = opening_tpl.format(**v)
    if lf.code == "jiedu" and it.interprets is not None:
        opening = f"近日，{org['name']}印发了《{it.interprets.title}》（以下简称《通知》）。现就有关内容解读如下。"
    closing = f"{org['name']}\n{cn_date(wr)}\n"
    table = None
    it.has_table = rng.random() < k["table"]
    if it.has_table:
        table = make_table(rng, lf.code, it.township, cfg, wr)
    head_pool = list(k["heads"]) + list(EXTRA_HEADS)
    sections: list[str] = []
    size = len(opening) + len(closing) + 4 + (len(table) if table else 0)
    hi = 0
    table_at = rng.randint(0, 1) if table else -1
    guard = 0
    listed = False
    used: set[str] = {opening_tpl}

    def pick(src: list[str]) -> str:
        cand = [x for x in src if x not in used] or [x for x in GENERIC if x not in used] \
            or [x for x in FILLER if x not in used] or src
        x = rng.choice(cand)
        used.add(x)
        return x

    while guard < 20:
        guard += 1
        if len(sections) == table_at:
            sections.append(table)
            continue
        if size >= target or hi >= len(head_pool):
            break
        head = head_pool[hi]
        hi += 1
        if not listed and rng.random() < 0.3:
            listed = True
            items = rng.sample(lst, min(len(lst), rng.randint(3, 5)))
            numbered = rng.random() < 0.5
            content = "\n".join((f"{j + 1}. {x}。" if numbered else f"- {x}。")
                                for j, x in enumerate(items))
        else:
            paras = []
            for _ in range(rng.randint(1, 2)):
                sents = [pick(pool if rng.random() < 0.7 else GENERIC)
                         for _ in range(rng.randint(1, 3))]
                paras.append("".join(s.format(**v) for s in sents))
            content = "\n\n".join(paras)
        sec = f"## {CN_NUM[len(sections) % 10]}、{head}\n\n{content}"
        if size + len(sec) + 2 > 1200:
            sec = f"## {CN_NUM[len(sections) % 10]}、{head}\n\n{rng.choice(GENERIC).format(**v)}"
            if size + len(sec) + 2 > 1200:
                break
        sections.append(sec)
        size += len(sec) + 2
    if table is not None and table not in sections:
        sections.append(table)
    # number the headings in order (the table section carries its own heading)
    out, no = [], 0
    for s in sections:
        if s.startswith("## "):
            s = f"## {CN_NUM[no % 10]}、" + s.split("、", 1)[1]
            no += 1
        out.append(s)
    body = opening + "\n\n" + "\n\n".join(out) + "\n\n" + closing
    if UNMASKED_ID.search(body) or UNMASKED_MOBILE.search(body):
        raise AssertionError(f"item {it.i}: unmasked personal data generated")
    it.body = body

    # optional front matter
    fx: list[tuple[str, str]] = []
    if it.org != lf.org:
        fx.append(("公开主体", it.org))
    if it.attr != "主动公开":
        fx.append(("公开属性", it.attr))
        if it.attr == "删减后公开":
            fx.append(("删减说明", DELETION_NOTE))
    if lf.code == "jiedu" and it.interprets is not None:
        fx.append(("信息环节", "解读"))
        fx.append(("解读", it.interprets.index_no))
    if lf.code == "mingdan" or (lf.code == "zijin" and rng.random() < 0.3):
        fx.append(("公示期", f"{{开始: {ymd(it.pub)}, 结束: {ymd(pub_end)}}}"))
    if it.township is not None and rng.random() < 0.6:
        comms = it.township.get("communities") or []
        boards = rng.sample(comms, rng.randint(1, min(2, len(comms)))) if comms and rng.random() < 0.7 \
            else [it.township["name"]]
        fx.append(("公开栏", yaml_list(boards)))
    elif lf.code == "mingdan" and rng.random() < 0.1:
        fx.append(("公开栏", "[全部]"))
    if lf.code == "zhengce":
        fx.append(("文件类型", "行政规范性文件" if rng.random() < 0.6 else "其他文件"))
        if rng.random() < 0.3:
            until = dt.date(wr.year + 2, wr.month, min(wr.day, 28))
            fx.append(("有效期至", ymd(until)))
    if lf.code in ("chufa", "xuke"):
        fx.append(("处理决定数", str(max(1, body.count("\n| ") - 1) if table else 1)))
    if rng.random() < 0.35:
        summary = f"{it.title}，详见正文。" if rng.random() < 0.5 else opening.split("。")[0] + "。"
        fx.append(("摘要", yaml_str(summary)))
    if rng.random() < 0.3:
        fx.append(("关键词", yaml_list([mname, lf.name])))
    it.fm_extra = fx


def make_table(rng: random.Random, code: str, township, cfg: dict, wr: dt.date) -> str:
    rows = rng.randint(5, 15)
    comms = (township.get("communities") if township else None) or \
        [c for t in cfg.get("township", []) for c in t.get("communities", [])] or ["禾丰社区"]

    def name() -> str:
        return rng.choice(SURNAMES) + ("某" if rng.random() < 0.3 else "某某")

    def pid() -> str:
        return "5399" + "*" * 10 + f"{rng.randrange(1000):03d}" + rng.choice("0123456789X")

    def mobile() -> str:
        return rng.choice(MOBILE_PREFIX) + "****" + f"{rng.randrange(10000):04d}"

    if code in ("chufa", "shuangsuiji", "jiancha"):
        head, title = ["序号", "当事人", "身份证号", "违法行为", "处理结果"], "案件信息"
        body = [[str(r + 1), name(), pid(), rng.choice(VIOLATIONS), rng.choice(PENALTIES)]
                for r in range(rows)]
    elif code in ("xuke", "jieguo", "banshi", "xinxi", "minglu"):
        head, title = ["序号", "申请人", "身份证号", "办理结果", "办结日期"], "办理结果"
        body = [[str(r + 1), name(), pid(), rng.choice(OUTCOMES),
                 ymd(wr - dt.timedelta(days=rng.randint(0, 20)))] for r in range(rows)]
    else:
        phone = rng.random() < 0.3
        head = ["序号", "姓名", "身份证号", "所在社区（村）", "保障人数", "金额（元）"]
        if phone:
            head.append("联系电话")
        title = "公示名单" if code == "mingdan" else "发放明细"
        body = []
        for r in range(rows):
            row = [str(r + 1), name(), pid(), rng.choice(comms), str(rng.randint(1, 5)),
                   str(rng.choice((680, 720, 760, 800, 850)) * rng.randint(1, 4))]
            if phone:
                row.append(mobile())
            body.append(row)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    while len(lines) > 7 and sum(len(x) + 1 for x in lines) > 760:   # keep bodies <= 1200 chars
        lines.pop()
    return f"## 一、{title}\n\n" + "\n".join(lines)


def item_relpath(it: Item) -> str:
    lf = it.leaf
    return f"{lf.domain}/{lf.matter}/{ymd(it.pub)}-{lf.code}-{it.i:05d}.md"


def gkpub_text(it: Item) -> str:
    fm = [f"标题: {yaml_str(it.title)}", f"索引号: {it.index_no}", f"目录: {it.leaf.path}",
          f"成文日期: {ymd(it.wr)}", f"发布日期: {ymd(it.pub)}"]
    if it.docno:
        fm.append(f"文号: {it.docno}")
    fm += [f"{k}: {v}" for k, v in it.fm_extra]
    return "---\n" + "\n".join(fm) + "\n---\n" + it.body


# --------------------------------------------------------------------------- writers
def write_gkpub(out: Path, docs, items, seed: int, site_toml: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(site_toml, out / "site.toml")
    assets = site_toml.parent / "layouts" / "assets"  # the footer's mark images site.toml names
    if assets.is_dir():
        shutil.copytree(assets, out / "layouts" / "assets", dirs_exist_ok=True)
    for sub in ("content/catalog", "content/items"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    write_catalog(docs, out, seed)
    base = out / "content" / "items"
    made = set()
    for it in items:
        p = base / item_relpath(it)
        if p.parent not in made:
            p.parent.mkdir(parents=True, exist_ok=True)
            made.add(p.parent)
        with open(p, "w", encoding="utf-8") as f:
            f.write(gkpub_text(it))


def write_hugo(out: Path, docs, items, cfg: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("content", "layouts", "public", "resources"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    site = cfg.get("site", {})
    orgs = cfg["org"]
    page_size = int(site.get("page_size", 20))
    home_latest = int(site.get("home_latest", 6))

    def q(s) -> str:  # TOML / YAML double-quoted string
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'

    conf = [
        f"baseURL = {q(site.get('base_url', 'https://example.org/'))}",
        'locale = "zh-CN"',
        'defaultContentLanguage = "zh-cn"',
        f"title = {q(site.get('title', 'gkpub'))}",
        "hasCJKLanguage = true",
        "# gkpub renders no per-list RSS feeds and no /items/ section listing",
        'disableKinds = ["rss", "section"]',
        "",
        "[pagination]",
        f"  pagerSize = {page_size}",
        "",
        "[taxonomies]",
        '  stage = "stages"',
        '  domain = "domains"',
        '  org = "orgs"',
        "",
        "[params]",
        f"  subtitle = {q(site.get('subtitle', ''))}",
        f"  homeLatest = {home_latest}",
        f"  address = {q(site.get('address', ''))}",
        f"  phone = {q(site.get('phone', ''))}",
        f"  supervisionPhone = {q(site.get('supervision_phone', ''))}",
        f"  icp = {q(site.get('icp', ''))}",
        f"  siteID = {q(site.get('site_id', ''))}",
    ]
    for s in STAGES:
        conf += ["  [[params.stages]]", f"    slug = {q(STAGE_SLUGS[s])}", f"    name = {q(s)}"]
    for d in DOMAINS:
        conf += ["  [[params.domains]]", f"    slug = {q(d[0])}", f"    name = {q(d[1])}"]
    (out / "hugo.toml").write_text("\n".join(conf) + "\n", encoding="utf-8")

    content = out / "content"
    content.mkdir()
    (content / "_index.md").write_text(f"---\ntitle: {q(site.get('title', ''))}\n---\n",
                                       encoding="utf-8")
    # term pages carry the Chinese names; terms themselves are ASCII slugs
    for s in STAGES:
        p = content / "stages" / STAGE_SLUGS[s]
        p.mkdir(parents=True)
        (p / "_index.md").write_text(f"---\ntitle: {q(s)}\n---\n", encoding="utf-8")
    for d in DOMAINS:
        p = content / "domains" / d[0]
        p.mkdir(parents=True)
        (p / "_index.md").write_text(f"---\ntitle: {q(d[1])}\ndescription: {q(d[4])}\n---\n",
                                     encoding="utf-8")
    for o in orgs:
        p = content / "orgs" / o["code"].lower()
        p.mkdir(parents=True)
        (p / "_index.md").write_text(f"---\ntitle: {q(o['name'])}\n---\n", encoding="utf-8")
    for name, title in (("stages", "五公开"), ("domains", "公开目录"), ("orgs", "公开主体")):
        (content / name / "_index.md").write_text(f"---\ntitle: {q(title)}\n---\n",
                                                  encoding="utf-8")

    code_of = {o["name"]: o["code"] for o in orgs}
    base = content / "items"
    made = set()
    for it in items:
        lf = it.leaf
        code = code_of[it.org]
        year_serial = it.index_no.split("/", 1)[1]
        dom_name = lf.path.split("/", 1)[0]
        fm = [
            f"title: {q(it.title)}",
            f"date: {ymd(it.pub)}",
            f"url: /xxgk/{code}/{year_serial}/",
        ]
        if it.attr not in ("主动公开", "删减后公开"):
            fm.append("draft: true   # " + it.attr + ": never published")
        fm += [
            f"stages: [{STAGE_SLUGS[lf.kind['stage']]}]",
            f"domains: [{lf.domain}]",
            f"orgs: [{code.lower()}]",
            "params:",
            f"  index_no: {q(it.index_no)}",
            f"  catalog: {q(lf.path)}",
            f"  stage: {q(lf.kind['stage'])}",
            f"  domain: {q(dom_name)}",
            f"  org_name: {q(it.org)}",
            f"  written: {ymd(it.wr)}",
            f"  attr: {q(it.attr)}",
        ]
        if it.docno:
            fm.append(f"  doc_no: {q(it.docno)}")
        p = base / item_relpath(it)
        if p.parent not in made:
            p.parent.mkdir(parents=True, exist_ok=True)
            made.add(p.parent)
        with open(p, "w", encoding="utf-8") as f:
            f.write("---\n" + "\n".join(fm) + "\n---\n" + it.body)

    layouts = out / "layouts"
    (layouts / "_partials").mkdir(parents=True)
    for rel, text in HUGO_LAYOUTS.items():
        (layouts / rel).write_text(text.lstrip("\n"), encoding="utf-8")


# Templates with long lines are plain strings: a backslash at the end of a line joins it to the
# next (the templates hold no other backslash).
HUGO_LAYOUTS = {
    "baseof.html": """
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteIDCode" content="{{ site.Params.siteID }}">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
<style>
body{font:18px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#222}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{border-bottom:3px solid #b00}nav a{margin-right:1em}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}
.meta th{background:#f3f3f3;text-align:left}.items li{display:flex;justify-content:space-between}
footer{border-top:1px solid #999;margin-top:2rem;font-size:.9em}
</style>
</head>
<body>
<header>
<p><a href="{{ "/" | relURL }}">{{ site.Title }}</a> · {{ site.Params.subtitle }}</p>
<nav aria-label="五公开">{{ range site.Params.stages }}\
<a href="{{ printf "/stages/%s/" .slug | relURL }}">{{ .name }}公开</a>{{ end }}</nav>
<nav aria-label="公开目录">{{ range site.Params.domains }}\
<a href="{{ printf "/domains/%s/" .slug | relURL }}">{{ .name }}</a>{{ end }}</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>
<p>主办：{{ site.Title }}　地址：{{ site.Params.address }}　电话：{{ site.Params.phone }}</p>
<p>政务公开监督电话：{{ site.Params.supervisionPhone }}　{{ site.Params.icp }}　网站标识码：{{ site.Params.siteID }}</p>
</footer>
</body>
</html>
""",
    "single.html": r"""
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<table class="meta">
<tr><th>索引号</th><td>{{ .Params.index_no }}</td><th>主题分类</th><td>{{ .Params.catalog }}</td></tr>
<tr><th>发布机构</th><td>{{ range .GetTerms "orgs" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</td>
<th>文号</th><td>{{ with .Params.doc_no }}{{ . }}{{ end }}</td></tr>
<tr><th>成文日期</th><td>{{ with .Params.written }}{{ time.Format "2006-01-02" . }}{{ end }}</td>
<th>发布日期</th><td>{{ .Date.Format "2006-01-02" }}</td></tr>
<tr><th>公开属性</th><td>{{ .Params.attr }}</td>
<th>五公开</th><td>{{ range .GetTerms "stages" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</td></tr>
</table>
<div class="content">
{{ .Content }}
</div>
</article>
{{ end }}
""",
    "home.html": """
{{ define "main" }}
{{ $n := site.Params.homeLatest }}
{{ range site.Params.stages }}
<section>
<h2><a href="{{ printf "/stages/%s/" .slug | relURL }}">{{ .name }}公开</a></h2>
<ul class="items">
{{ with index site.Taxonomies.stages .slug }}\
{{ range first $n .Pages }}{{ partial "item-row.html" . }}{{ end }}{{ end }}
</ul>
</section>
{{ end }}
<section>
<h2>公开目录</h2>
<ul>{{ range site.Params.domains }}\
<li><a href="{{ printf "/domains/%s/" .slug | relURL }}">{{ .name }}</a></li>{{ end }}</ul>
</section>
{{ end }}
""",
    "taxonomy.html": r"""
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}）</li>
{{ end }}
</ul>
{{ end }}
""",
    "term.html": r"""
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p>{{ . }}</p>{{ end }}
{{ $pag := .Paginate .Pages }}
<ul class="items">
{{ range $pag.Pages }}{{ partial "item-row.html" . }}{{ end }}
</ul>
{{ partial "pager.html" . }}
{{ end }}
""",
    "list.html": r"""
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pag := .Paginate .Pages }}
<ul class="items">
{{ range $pag.Pages }}{{ partial "item-row.html" . }}{{ end }}
</ul>
{{ partial "pager.html" . }}
{{ end }}
""",
    "404.html": r"""
{{ define "main" }}
<h1>页面不存在</h1>
<p>您访问的页面不存在或已被移除。请返回<a href="{{ "/" | relURL }}">首页</a>，或通过上方的五公开和公开目录栏目查找。</p>
{{ end }}
""",
    "_partials/item-row.html": """
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> \
<span>{{ .Params.org_name }} {{ .Date.Format "2006-01-02" }}</span></li>
""",
    "_partials/pager.html": """
{{ $p := .Paginator }}
{{ if gt $p.TotalPages 1 }}
<nav class="pager" aria-label="分页">
{{ with $p.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }}
{{ range $p.Pagers }}
{{ if or (eq .PageNumber 1) (eq .PageNumber $p.TotalPages) \
(and (ge .PageNumber (sub $p.PageNumber 2)) (le .PageNumber (add $p.PageNumber 2))) }}
{{ if eq .PageNumber $p.PageNumber }}<span aria-current="page">{{ .PageNumber }}</span>\
{{ else }}<a href="{{ .URL }}">{{ .PageNumber }}</a>{{ end }}
{{ end }}
{{ end }}
{{ with $p.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}
<span>共 {{ $p.TotalNumberOfElements }} 条，{{ $p.TotalPages }} 页</span>
</nav>
{{ end }}
""",
}


# --------------------------------------------------------------------------- check
def check(out: Path) -> list[str]:
    """Re-read the gkpub corpus and verify its invariants; returns a list of problems."""
    import yaml

    Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    site = load_site(out / "site.toml")
    codes = {o["code"] for o in site["org"]}
    orgnames = {o["name"] for o in site["org"]}
    paths = set()
    for f in sorted((out / "content" / "catalog").glob("*.yaml")):
        d = yaml.load(f.read_text(encoding="utf-8"), Loader=Loader)
        stages = set()
        for m in d["事项"]:
            for lf in m["公开内容"]:
                paths.add(f"{d['领域']}/{m['名称']}/{lf['名称']}")
                stages.add(lf["过程"])
        if set(STAGES) - stages:
            return [f"{f.name}: stages missing {set(STAGES) - stages}"]
    probs, seen, docnos, refs = [], set(), set(), []
    docno_re = re.compile(r"^\S+〔(\d{4})〕\d+号$")
    idx_re = re.compile(r"^([0-9A-Z]{18})/(\d{4})-(\d{5})$")
    for f in sorted((out / "content" / "items").rglob("*.md")):
        text = f.read_text(encoding="utf-8")
        _, fm, body = text.split("---\n", 2)
        try:
            meta = yaml.load(fm, Loader=Loader)
        except yaml.YAMLError as e:
            probs.append(f"{f}: {e}")
            continue
        m = idx_re.match(meta["索引号"])
        if not m or m.group(1) not in codes:
            probs.append(f"{f}: bad 索引号 {meta['索引号']}")
        elif int(m.group(2)) != meta["发布日期"].year:
            probs.append(f"{f}: 索引号 year != 发布日期 year")
        if meta["索引号"] in seen:
            probs.append(f"{f}: duplicate 索引号")
        seen.add(meta["索引号"])
        if meta["目录"] not in paths:
            probs.append(f"{f}: 目录 {meta['目录']} not in catalogue")
        w, p = meta["成文日期"], meta["发布日期"]
        if not (isinstance(w, dt.date) and isinstance(p, dt.date) and w <= p
                and (p - w).days <= 10 and DATE_MIN <= w and p <= DATE_MAX):
            probs.append(f"{f}: dates {w} {p}")
        if "文号" in meta:
            if not docno_re.match(meta["文号"]):
                probs.append(f"{f}: 文号 {meta['文号']}")
            if meta["文号"] in docnos:
                probs.append(f"{f}: duplicate 文号 {meta['文号']}")
            docnos.add(meta["文号"])
        if "解读" in meta:
            refs.append((f, meta["解读"]))
        if "公开主体" in meta and meta["公开主体"] not in orgnames:
            probs.append(f"{f}: 公开主体 {meta['公开主体']}")
        if not (300 <= len(body) <= 1200):
            probs.append(f"{f}: body length {len(body)}")
        if UNMASKED_ID.search(text) or UNMASKED_MOBILE.search(text):
            probs.append(f"{f}: unmasked personal data")
        if len(probs) > 50:
            break
    probs += [f"{f}: 解读 {r} is not an item" for f, r in refs if r not in seen]
    return probs


# --------------------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, required=True, help="number of items")
    ap.add_argument("--out", type=Path, help="gkpub site directory to write")
    ap.add_argument("--hugo", type=Path, help="Hugo site directory to write (same corpus)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--site-toml", type=Path, default=REPO / "site.toml")
    ap.add_argument("--check", action="store_true", help="validate the written gkpub corpus")
    a = ap.parse_args(argv)
    if not a.out and not a.hugo:
        ap.error("give --out DIR and/or --hugo DIR")
    if a.items < 0:
        ap.error("--items must be >= 0")
    t0 = time.perf_counter()
    cfg = load_site(a.site_toml)
    docs, items = generate(a.items, a.seed, cfg)
    t1 = time.perf_counter()
    if a.out:
        write_gkpub(a.out, docs, items, a.seed, a.site_toml)
    if a.hugo:
        write_hugo(a.hugo, docs, items, cfg)
    t2 = time.perf_counter()
    unpub = sum(it.attr in ("依申请公开", "不予公开") for it in items)
    tables = sum(it.has_table for it in items)
    chars = sum(len(it.body) for it in items)
    print(f"{len(items)} items ({unpub} not to be published, {tables} with a table, "
          f"{chars / max(1, len(items)):.0f} body chars avg); {len(docs)} catalogue domains; "
          f"generate {t1 - t0:.2f}s, write {t2 - t1:.2f}s", file=sys.stderr)
    if a.check and a.out:
        probs = check(a.out)
        for p in probs:
            print(p, file=sys.stderr)
        print(f"check: {'OK' if not probs else f'{len(probs)} problem(s)'}", file=sys.stderr)
        return 1 if probs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
