# ruff: noqa: RUF001 - the reports are written in six languages and their scripts
"""The first eleven families, two in each language but Uyghur and English one each more:
the cases the README's tour walks through (Aygul Niyaz, Erbol Qairatuly, ...)."""

from __future__ import annotations

from datetime import date

from intake.models import Consent, Region

from ..models import PersonStatus, Verification
from .shapes import DemoReport, Event, when

TOUR: list[DemoReport] = [
    DemoReport(
        key="aygul-en",
        language="en",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.ILI,
        days_ago=140,
        names=[("Aygul Niyaz", "latin"), ("ئايگۈل نىياز", "ug-arab"), ("阿依古丽·尼亚孜", "hani")],
        missing={
            "father_name": "Niyaz Qadir",
            "mother_name": "Patigul Sawut",
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "Ghulja city",
            "home_village": "Near the old bazaar",
            "occupation": "Primary school teacher",
            "birth_date": when(1984, 3),
        },
        disappearance={
            "date": when(2017, 4, 12),
            "last_contact": "A WeChat voice call on 10 April 2017; then her account was deleted.",
            "place": "Ghulja city, at the neighbourhood police station",
            "what_happened": "camp",
            "responsible": "police",
            "facility": "Not known; relatives heard of a camp outside Ghulja",
            "steps_taken": (
                "We asked relatives by phone until they asked us to stop calling. We wrote to "
                "the Chinese embassy in The Hague in 2018 and received no answer."
            ),
            "narrative": (
                "My sister visited me in the Netherlands in 2016. In April 2017 she was called "
                "to the police station to 'update her documents' and did not come home. Her "
                "husband was told she was 'studying'. Her two children live with his mother."
            ),
            "witnesses": (
                "A neighbour who has since left China saw her taken away in a police car. "
                "She does not want her name given."
            ),
        },
        reporter={
            "reporter_name": "Kamil Niyaz",
            "relationship": "sibling",
            "country": "Netherlands",
            "contact": "kamil.n@example.org",
            "threats": "Police visited our mother after I spoke to a journalist in 2019.",
            "relatives_at_home": "yes",
        },
        triage="new",
        verification=Verification.PARTLY,
        assign=True,
        question=(
            "Thank you for your report. Do you know the name or the place of the camp, or "
            "anyone who was held with your sister?"
        ),
        reply=(
            "A woman released in 2019 told my cousin she saw Aygul in a camp east of Ghulja "
            "in the summer of 2018. I will ask whether she agrees to speak with you."
        ),
        timeline=[
            Event(
                PersonStatus.MISSING,
                date(2017, 4, 12),
                "Brother's report: went to the police station, did not come back.",
            ),
            Event(
                PersonStatus.CAMP,
                date(2018, 7, 1),
                "Second-hand: a former detainee saw her in a camp east of Ghulja, summer 2018.",
            ),
        ],
        note=(
            "The brother's and the cousin's reports agree on April 2017. Ask the cousin "
            "whether the former detainee would give a statement."
        ),
    ),
    DemoReport(
        key="aygul-ug",
        language="ug",
        consent=Consent.UN_NAMED,
        region=Region.ILI,
        days_ago=95,
        names=[("ئايگۈل نىياز", "ug-arab")],
        missing={
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "غۇلجا",
            "occupation": "ئوقۇتقۇچى",
            "birth_date": when(1984),
        },
        disappearance={
            "date": when(2017, 4),
            "place": "غۇلجا",
            "what_happened": "camp",
            "responsible": "police",
            "steps_taken": "ئۇرۇق-تۇغقانلاردىن سورىدۇق، ئەمما ھېچكىم ئېنىق جاۋاب بەرمىدى.",
            "narrative": (
                "ئايگۈل ئوقۇتقۇچى ئىدى. 2017-يىلى ئاپرېلدا ساقچىخانىغا چاقىرىلدى ۋە قايتىپ "
                "كەلمىدى. بىز ئۇنى لاگېرغا ئېلىپ كېتىلدى دەپ ئاڭلىدۇق."
            ),
        },
        reporter={
            "reporter_name": "ماھىرە قادىر",
            "relationship": "relative",
            "country": "تۈركىيە",
            "relatives_at_home": "yes",
        },
        triage="aygul-en",
        assign=True,
    ),
    DemoReport(
        key="dilmurat",
        language="ug",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.KASHGAR,
        days_ago=120,
        names=[("دىلمۇرات سابىر", "ug-arab"), ("Dilmurat Sabir", "latin")],
        missing={
            "father_name": "سابىر قاسىم",
            "sex": "male",
            "ethnicity": "uyghur",
            "home_county": "قەشقەر شەھىرى",
            "occupation": "سودىگەر",
            "birth_date": when(1990),
        },
        disappearance={
            "date": when(2018),
            "last_contact": "2018-يىلى يانۋاردا تېلېفوندا سۆزلەشتۇق.",
            "place": "قەشقەر",
            "what_happened": "detained",
            "responsible": "police",
            "steps_taken": "تۇغقانلاردىن سورىدۇق، ئەمما ھېچكىم جاۋاب بەرمىدى.",
            "narrative": (
                "ئىنىم 2018-يىلى قەشقەردە ساقچىلار تەرىپىدىن تۇتۇپ كېتىلدى. شۇنىڭدىن بۇيان "
                "ئۇنىڭدىن ھېچقانداق خەۋەر يوق."
            ),
        },
        reporter={
            "reporter_name": "مەرىيەم سابىر",
            "relationship": "sibling",
            "country": "گېرمانىيە",
            "relatives_at_home": "yes",
        },
        triage="new",
        assign=True,
        question="مەلۇماتىڭىز ئۈچۈن رەھمەت. ئىنىڭىز قايسى ئايدا تۇتۇلغانلىقىنى بىلەمسىز؟",
        reply="ئېنىق بىلمەيمەن، بەلكىم مارت ئېيىدا بولۇشى مۇمكىن.",
    ),
    DemoReport(
        key="erbol",
        language="kk",
        consent=Consent.PUBLIC,
        region=Region.ALTAY,
        days_ago=60,
        names=[
            ("Ербол Қайратұлы", "cyrillic"),
            ("Erbol Qairatuly", "latin"),
            ("叶尔波力·海拉提", "hani"),
        ],
        missing={
            "sex": "male",
            "ethnicity": "kazakh",
            "home_county": "Алтай қаласы",
            "occupation": "Малшы",
            "birth_date": when(1979, 8, 23),
        },
        disappearance={
            "date": when(2018, 2),
            "last_contact": "2018 жылдың ақпанында WeChat арқылы сөйлестік.",
            "place": "Алтай",
            "what_happened": "sentenced",
            "responsible": "police",
            "facility": "Алтайдағы түрме (естуімізше)",
            "steps_taken": (
                "Қазақстан Сыртқы істер министрлігіне және Қытай елшілігіне хат жаздық. "
                "Жауап алмадық."
            ),
            "narrative": (
                "Күйеуім 2018 жылы ақпанда Қазақстаннан Алтайға анасын көруге барды. "
                "Паспортын алып қойып, кейін ұстады. 2019 жылы оған 10 жыл берілгенін естідік."
            ),
        },
        reporter={
            "reporter_name": "Сәуле Мұратқызы",
            "relationship": "spouse",
            "country": "Қазақстан",
            "contact": "saule.m@example.org",
            "relatives_at_home": "yes",
        },
        triage="new",
        verification=Verification.CONFIRMED,
        assign=True,
        timeline=[
            Event(
                PersonStatus.DETAINED,
                date(2018, 2, 20),
                "Wife's report: passport taken on arrival, then detained in Altay.",
            ),
            Event(
                PersonStatus.SENTENCED,
                date(2019, 5, 1),
                "The family heard of a ten-year sentence; no court document seen yet.",
            ),
        ],
        note="Ask the wife whether anyone in Altay could obtain the court's decision.",
    ),
    DemoReport(
        key="gulnar",
        language="kk",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.TARBAGHATAY,
        days_ago=12,
        names=[("Гүлнар Сейітқызы", "cyrillic")],
        missing={"sex": "female", "ethnicity": "kazakh", "home_county": "Шәуешек"},
        disappearance={
            "date": when(2019),
            "last_contact": "2019 жылдың басында.",
            "place": "Шәуешек",
            "what_happened": "unknown",
            "responsible": "unknown",
            "steps_taken": "Туыстардан сұрадық, бірақ олар бұл туралы сөйлескісі келмейді.",
            "narrative": "Әпкемнің телефоны 2019 жылы өшіп қалды. Содан бері хабар жоқ.",
        },
        reporter={
            "reporter_name": "Айдос Сейітұлы",
            "relationship": "sibling",
            "country": "Қазақстан",
        },
    ),
    DemoReport(
        key="erkin",
        language="ru",
        consent=Consent.PARTNERS,
        region=Region.URUMQI,
        days_ago=75,
        names=[("Эркин Мамут", "cyrillic"), ("Erkin Mamut", "latin"), ("ئەركىن مامۇت", "ug-arab")],
        missing={
            "sex": "male",
            "ethnicity": "uyghur",
            "home_county": "Урумчи",
            "occupation": "Предприниматель, торговал с Казахстаном",
            "birth_date": when(1962),
        },
        disappearance={
            "date": when(2017, 11, 3),
            "last_contact": "3 ноября 2017 года, по телефону.",
            "place": "Урумчи",
            "what_happened": "detained",
            "responsible": "police",
            "facility": "Неизвестно",
            "steps_taken": "Обращались в посольство КНР в Алматы и в МИД Казахстана. Ответа нет.",
            "narrative": (
                "Мой отец поехал в Урумчи по делам в октябре 2017 года. 3 ноября он позвонил и "
                "сказал, что его вызывают в полицию. После этого мы ничего о нём не знаем."
            ),
        },
        reporter={
            "reporter_name": "Арслан Мамутов",
            "relationship": "child",
            "country": "Казахстан",
            "contact": "arslan.m@example.org",
            "threats": "Родственникам в Урумчи сказали не общаться с нами.",
            "relatives_at_home": "yes",
        },
        triage="new",
        verification=Verification.PARTLY,
        assign=True,
        question="Спасибо за ваше сообщение. Знаете ли вы, в какой отдел полиции его вызвали?",
        reply=(
            "Нет. Родственники говорят, что его видели в следственном изоляторе в 2018 году, "
            "но точно не знают."
        ),
    ),
    DemoReport(
        key="zulfiya",
        language="ru",
        consent=Consent.INTERNAL,
        region=Region.KUMUL,
        days_ago=5,
        names=[("Зульфия Абдукеримова", "cyrillic")],
        missing={
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "Кумул (Хами)",
            "occupation": "Студентка",
            "birth_date": when(1995, 1, 7),
        },
        disappearance={
            "date": when(2020, 6),
            "last_contact": "Июнь 2020 года, в WeChat.",
            "place": "Кумул",
            "what_happened": "unknown",
            "responsible": "unknown",
            "steps_taken": "Пока ничего: боимся навредить родственникам.",
            "narrative": (
                "Моя двоюродная сестра перестала отвечать летом 2020 года. "
                "Её страница в WeChat удалена."
            ),
        },
        reporter={
            "reporter_name": "Лейла Абдукеримова",
            "relationship": "relative",
            "country": "Кыргызстан",
            "relatives_at_home": "unsure",
        },
    ),
    DemoReport(
        key="memtimin",
        language="tr",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.HOTAN,
        days_ago=45,
        names=[
            ("Memtimin Kurban", "latin"),
            ("مەمتىمىن قۇربان", "ug-arab"),
            ("买买提明·库尔班", "hani"),
        ],
        missing={
            "sex": "male",
            "ethnicity": "uyghur",
            "home_county": "Hoten, Karakaş ilçesi",
            "occupation": "Çiftçi",
            "birth_date": when(1956),
        },
        disappearance={
            "date": when(2017),
            "last_contact": "2017 yazında telefonla.",
            "place": "Karakaş",
            "what_happened": "camp",
            "responsible": "police",
            "steps_taken": (
                "Akrabalarımıza sorduk. 2019'da Çin konsolosluğuna dilekçe verdik, cevap gelmedi."
            ),
            "narrative": (
                "Amcam 2017 yılında köyünden alınıp bir kampa götürüldü. 2020'de serbest "
                "bırakıldığını duyduk ama kendisiyle hâlâ konuşamıyoruz."
            ),
        },
        reporter={
            "reporter_name": "Abdullah Kerim",
            "relationship": "relative",
            "country": "Türkiye",
            "relatives_at_home": "yes",
        },
        triage="new",
        question="Bildiriminiz için teşekkürler. Amcanızın serbest bırakıldığını kimden duydunuz?",
        reply=(
            "Kazakistan'daki bir akrabamızdan. İzin verirse iletişim bilgisini size göndereceğim."
        ),
        timeline=[
            Event(PersonStatus.CAMP, date(2017, 7, 1), "Nephew's report: taken to a camp, 2017."),
            Event(
                PersonStatus.RESTRICTED,
                date(2020, 9, 1),
                "Heard through a relative in Kazakhstan: released in 2020, not reachable.",
            ),
        ],
    ),
    DemoReport(
        key="gulnisa",
        language="tr",
        consent=Consent.UN_CONFIDENTIAL,
        region=Region.AKSU,
        days_ago=30,
        names=[("Gülnisa İmin", "latin")],
        missing={
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "Aksu",
            "occupation": "Ev hanımı",
            "birth_date": when(1970, 5),
        },
        disappearance={
            "date": when(2018, 9, 15),
            "place": "Aksu",
            "what_happened": "detained",
            "responsible": "police",
            "steps_taken": "Henüz bir şey yapmadık.",
            "narrative": "Annem 15 Eylül 2018'de evden alındı. O günden beri haber alamıyoruz.",
        },
        reporter={
            "reporter_name": "Nigar Osman",
            "relationship": "child",
            "country": "Türkiye",
            "relatives_at_home": "yes",
        },
        withdraw=True,
    ),
    DemoReport(
        key="ablikim",
        language="zh-hans",
        consent=Consent.UN_NAMED,
        region=Region.TURPAN,
        days_ago=25,
        names=[
            ("阿布力克木·艾山", "hani"),
            ("Abulikemu Aishan", "pinyin"),
            ("ئابلىكىم ھەسەن", "ug-arab"),
        ],
        missing={
            "sex": "male",
            "ethnicity": "uyghur",
            "home_county": "吐鲁番市",
            "occupation": "司机",
            "birth_date": when(1988, 11),
        },
        disappearance={
            "date": when(2019, 3),
            "last_contact": "2019年3月，微信语音。",
            "place": "吐鲁番",
            "what_happened": "prison",
            "responsible": "camp-prison",
            "facility": "不清楚",
            "steps_taken": "我们给当地派出所打过电话，他们说不知道。",
            "narrative": (
                "我的表哥2019年3月从乌鲁木齐回吐鲁番后被带走。后来听说他被判刑，"
                "但我们没有看到任何判决书。"
            ),
        },
        reporter={
            "reporter_name": "古丽娜·买买提",
            "relationship": "relative",
            "country": "加拿大",
            "relatives_at_home": "yes",
        },
        triage="new",
        assign=True,
        question="感谢您的报告。您知道他被关押在哪个监狱吗？",
    ),
    DemoReport(
        key="zeynure",
        language="zh-hans",
        consent=Consent.INTERNAL,
        region="",
        days_ago=3,
        names=[("再努热·阿布来提", "hani"), ("زەينۇرە ئابلەت", "ug-arab")],
        missing={
            "sex": "female",
            "ethnicity": "uyghur",
            "home_county": "喀什",
            "occupation": "医生",
            "birth_date": when(1983),
        },
        disappearance={
            "date": when(2018),
            "last_contact": "2018年初。",
            "place": "喀什",
            "what_happened": "unknown",
            "responsible": "unknown",
            "steps_taken": "还没有。",
            "narrative": "我姐姐是一名医生。2018年以后我们再也联系不上她。",
        },
        reporter={
            "reporter_name": "迪丽拜尔·阿布来提",
            "relationship": "sibling",
            "country": "澳大利亚",
        },
    ),
]
