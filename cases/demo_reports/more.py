# ruff: noqa: RUF001 - the reports are written in six languages and their scripts
"""Nine more families, so that the inbox and the statistics have something to filter
and count, and a second report about one of the tour's (for the duplicate finder)."""

from __future__ import annotations

from intake.models import Consent, Region

from ..models import Verification
from .shapes import DemoReport, when

MORE: list[DemoReport] = [
    DemoReport(
        key="rustem",
        language="en",
        consent=Consent.PUBLISH_NAME,
        region=Region.ILI,
        days_ago=50,
        names=[("Rustem Oraz", "latin"), ("Рүстем Ораз", "cyrillic")],
        missing={
            "sex": "male",
            "ethnicity": "kazakh",
            "home_county": "Ghulja county",
            "occupation": "Veterinarian",
            "birth_date": when(1991, 6, 2),
        },
        disappearance={
            "date": when(2019, 1, 20),
            "last_contact": "20 January 2019: a short message saying he had to go to a meeting.",
            "place": "Ghulja county",
            "what_happened": "detained",
            "responsible": "other-state",
            "steps_taken": (
                "Friends asked the Kazakh consulate in Ürümqi for help; nothing came of it."
            ),
            "narrative": (
                "My husband went back to look after his father in 2018. In January 2019 village "
                "officials called him to a meeting. His phone has been off since that day."
            ),
        },
        reporter={
            "reporter_name": "Dana Oraz",
            "relationship": "spouse",
            "country": "United States",
            "contact": "+1 202 555 0143",
            "relatives_at_home": "yes",
        },
        triage="new",
    ),
    DemoReport(
        key="mehray",
        language="en",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.HOTAN,
        days_ago=8,
        names=[("Mehray Abdulla", "latin"), ("مېھراي ئابدۇللا", "ug-arab")],
        missing={
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "Hotan",
            "occupation": "University student",
        },
        disappearance={
            "date": when(2017, 7),
            "last_contact": "July 2017: she told us she had been called home from her studies.",
            "place": "Hotan",
            "what_happened": "detained",
            "responsible": "police",
            "steps_taken": (
                "We wrote to the UN in 2020 through another organisation; we do not know "
                "whether the case was registered."
            ),
            "narrative": (
                "My sister was studying abroad and was told to come home in 2017. She flew "
                "back to Hotan and we never heard from her again."
            ),
        },
        reporter={
            "reporter_name": "Abdusalam Abdulla",
            "relationship": "sibling",
            "country": "Türkiye",
        },
    ),
    DemoReport(
        key="yasinjan",
        language="ug",
        consent=Consent.PUBLISH_NAME,
        region=Region.AKSU,
        days_ago=18,
        names=[("ياسىنجان ھوشۇر", "ug-arab")],
        missing={
            "sex": "male",
            "ethnicity": "uyghur",
            "home_county": "ئاقسۇ",
            "occupation": "دېھقان",
            "birth_date": when(1975, 2),
        },
        disappearance={
            "date": when(2017, 6),
            "last_contact": "2017-يىلى ئىيۇندا.",
            "place": "ئاقسۇ",
            "what_happened": "camp",
            "responsible": "police",
            "steps_taken": "ھېچ ئىش قىلالمىدۇق، چۈنكى قورقىمىز.",
            "narrative": (
                "دادام 2017-يىلى ئىيۇندا لاگېرغا ئېلىپ كېتىلدى. ئانام بىلەن ئالاقە ئۈزۈلدى."
            ),
        },
        reporter={
            "reporter_name": "مۇھەممەت ياسىن",
            "relationship": "child",
            "country": "ئامېرىكا",
            "relatives_at_home": "yes",
        },
    ),
    DemoReport(
        key="aigerim",
        language="kk",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.ILI,
        days_ago=35,
        names=[("Айгерім Болатқызы", "cyrillic"), ("Aigerim Bolatqyzy", "latin")],
        missing={
            "sex": "female",
            "ethnicity": "kazakh",
            "home_county": "Нылқы ауданы",
            "occupation": "Мұғалім",
            "birth_date": when(1993),
        },
        disappearance={
            "date": when(2018, 10, 2),
            "last_contact": "2018 жылғы 1 қазан, телефон арқылы.",
            "place": "Құлжа",
            "what_happened": "camp",
            "responsible": "police",
            "steps_taken": "Алматыдағы Қытай консулдығына бардық, бізді тыңдамады.",
            "narrative": ("Қарындасым 2018 жылы 2 қазанда «саяси оқуға» жіберілді деп естідік."),
        },
        reporter={
            "reporter_name": "Нұрлан Болатұлы",
            "relationship": "sibling",
            "country": "Қазақстан",
            "relatives_at_home": "yes",
        },
        triage="new",
        verification=Verification.PARTLY,
        assign=True,
        question="Хабарламаңыз үшін рахмет. Ол қазір қайда екенін білесіз бе?",
        reply="Жоқ. 2020 жылы босатылды деген сөз бар, бірақ телефоны әлі де өшірулі.",
    ),
    DemoReport(
        key="asylbek",
        language="ru",
        consent=Consent.UN_NAMED,
        region=Region.KIZILSU,
        days_ago=22,
        names=[("Асылбек Мамбетов", "cyrillic")],
        missing={
            "sex": "male",
            "ethnicity": "kyrgyz",
            "home_county": "Артуш",
            "occupation": "Водитель",
            "birth_date": when(1968),
        },
        disappearance={
            "date": when(2019),
            "last_contact": "Весной 2019 года.",
            "place": "Артуш",
            "what_happened": "prison",
            "responsible": "camp-prison",
            "steps_taken": "Обращались в МИД Кыргызстана.",
            "narrative": (
                "Мой брат не выходит на связь с весны 2019 года. Родственники сообщили, что "
                "ему дали срок, но за что — не знаем."
            ),
        },
        reporter={
            "reporter_name": "Бакыт Мамбетов",
            "relationship": "sibling",
            "country": "Кыргызстан",
        },
    ),
    DemoReport(
        key="abduresit",
        language="tr",
        consent=Consent.PARTNERS,
        region=Region.KASHGAR,
        days_ago=55,
        names=[("Abdureşit Sadık", "latin"), ("ئابدۇرېشىت سادىق", "ug-arab")],
        missing={
            "sex": "male",
            "ethnicity": "uyghur",
            "home_county": "Yarkent",
            "occupation": "Halı satıcısı",
            "birth_date": when(1981, 12, 9),
        },
        disappearance={
            "date": when(2017, 8, 21),
            "last_contact": "21 Ağustos 2017, telefonla.",
            "place": "Yarkent",
            "what_happened": "camp",
            "responsible": "police",
            "steps_taken": "BM'ye başvurmak için bir dernekle görüştük.",
            "narrative": (
                "Kardeşim Ağustos 2017'de Yarkent'te gözaltına alındı ve bir kampa götürüldü. "
                "Eşi de 2018'de gözaltına alındı."
            ),
        },
        reporter={
            "reporter_name": "Rabiye Sadık",
            "relationship": "sibling",
            "country": "Türkiye",
            "relatives_at_home": "no",
        },
        triage="new",
    ),
    DemoReport(
        key="wentao",
        language="zh-hans",
        consent=Consent.INTERNAL,
        region=Region.CHANGJI,
        days_ago=2,
        names=[("马文涛", "hani"), ("Ma Wentao", "pinyin")],
        missing={
            "sex": "male",
            "ethnicity": "hui",
            "home_county": "昌吉市",
            "occupation": "餐馆老板",
            "birth_date": when(1977),
        },
        disappearance={
            "date": when(2020, 2),
            "last_contact": "2020年2月。",
            "place": "昌吉",
            "what_happened": "detained",
            "responsible": "police",
            "steps_taken": "还没有。",
            "narrative": "我的朋友2020年2月被警察带走，原因不明。他的家人不敢说话。",
        },
        reporter={
            "reporter_name": "王芳",
            "relationship": "friend",
            "country": "日本",
        },
    ),
    DemoReport(
        key="hasiyet",
        language="en",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.KUMUL,
        days_ago=10,
        names=[("Hasiyet Qasim", "latin"), ("ھاسىيەت قاسىم", "ug-arab")],
        missing={
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "Kumul",
            "occupation": "Retired nurse",
            "birth_date": when(1960),
        },
        disappearance={
            "date": when(2021),
            "place": "Kumul",
            "what_happened": "restricted",
            "responsible": "other-state",
            "steps_taken": "None yet.",
            "narrative": (
                "My aunt was released from a camp in 2019, but since 2021 she cannot call "
                "anyone abroad. Neighbours say she must report to the neighbourhood "
                "committee every week."
            ),
        },
        reporter={
            "reporter_name": "Adil Qasim",
            "relationship": "relative",
            "country": "Germany",
            "relatives_at_home": "yes",
        },
    ),
    DemoReport(
        key="reyhangul",
        language="ug",
        consent=Consent.PUBLIC,
        region=Region.ILI,
        days_ago=40,
        names=[("رەيھانگۈل مەمەت", "ug-arab"), ("Reyhangul Memet", "latin")],
        missing={
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "غۇلجا",
            "occupation": "ئوقۇغۇچى",
            "birth_date": when(1999, 4),
        },
        disappearance={
            "date": when(2018, 5),
            "place": "غۇلجا",
            "what_happened": "camp",
            "responsible": "police",
            "steps_taken": "تۇغقانلاردىن سورىدۇق.",
            "narrative": "سىڭلىم 2018-يىلى ماي ئېيىدا لاگېرغا ئېلىپ كېتىلدى.",
        },
        reporter={
            "reporter_name": "ئالىم مەمەت",
            "relationship": "sibling",
            "country": "قازاقىستان",
            "relatives_at_home": "yes",
        },
        triage="new",
        assign=True,
    ),
    # A cousin in Germany copies Dilmurat Sabir's name from his Chinese ID card: triage
    # proposes his case (#2), first reported in Uyghur and Latin letters.
    DemoReport(
        key="dilmurat-zh",
        language="zh-hans",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.KASHGAR,
        days_ago=1,
        names=[("迪力木拉提·沙比尔", "hani")],
        missing={
            "father_name": "沙比尔·卡斯木",
            "sex": "male",
            "ethnicity": "uyghur",
            "home_county": "喀什市",
            "birth_date": when(1990),
        },
        disappearance={
            "date": when(2018),
            "place": "喀什",
            "what_happened": "detained",
            "responsible": "police",
            "steps_taken": "还没有。",
            "narrative": "我的表弟2018年在喀什被警察带走。他的身份证上写的是这个名字。",
        },
        reporter={
            "reporter_name": "阿依努尔",
            "relationship": "relative",
            "country": "德国",
            "relatives_at_home": "yes",
        },
    ),
]
