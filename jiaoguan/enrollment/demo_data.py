"""Enrolment demo data for the demo county (run by `jiaoguan demo` after the registry exists).

Two 2026 campaigns of the first county (湘潭县 430321 in the default demo):
- 小学一年级 (~1,800 applicants): the county seat's primaries, the townships' central primaries
  and a private 九年一贯制 school (created when the registry has none); run through
  verification, staff review, freeze, draw (fixed demo entropy with commitments), allocation
  and 统筹. One urban school is oversubscribed; the private school has more applicants than
  seats.
- 初中七年级 (~1,900 applicants): verified and left at the review stage (addresses to place,
  documents to look at) so that staff have something to do.

Zones come from the county's townships and schools: roads (number ranges, some split by side)
and residential compounds in the county seat, villages and communities in the townships;
one 多校划片 zone in each campaign. Department records (户籍, 不动产, 居住证, 社保) give realistic
outcomes: mostly A/B, some C, ~10% 随迁 D, some unmatched addresses (review), some records
not found (documents needed).

Deterministic for the seed (one random.Random, everything read in a fixed order); the
applications, department records and events are written in bulk, the verification, review and
lottery go through actions.py like the web does.
"""
from __future__ import annotations

import datetime
import math
import random
import struct
import zlib
from collections import defaultdict

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from jiaoguan.core import idnumbers
from jiaoguan.core.models import OrgUnit, SchoolYear, User
from jiaoguan.demo import names as N
from jiaoguan.registry.models import School

from . import actions, ceremony, lottery
from .models import (AddressUnit, Application, ApplicationEvent, Campaign, CampaignSchool, DepartmentRecord, Document, Zone)
from .verification.base import BaseBackend, Result, facts_from

YEAR = 2026
COMPOUNDS = ["金霞小区", "湘江花园", "凤凰城", "天易华府", "梅林苑", "芙蓉小区", "紫荆花园", "向阳新村", "东方名苑", "荷塘月色",
             "滨江一号", "书香名邸", "建设新村", "锦绣华庭", "沿江春晓", "迎宾佳园", "文化苑", "健康新城", "新华小区", "人民小区"]
NEW_COMPOUNDS = ["碧水云天", "江山樾", "未来城", "时代广场公寓", "湘潭县城南安置小区"]  # not yet in any zone: review
POLICY = {
    "categories": [
        {"id": "A", "name": "户籍与房产一致（父母或祖父母名下全产权，学位未使用）",
         "all": ["hukou_in_zone", "property_in_zone", "property_owner in parent|grandparent", "property_share >= 1", "not property_used"]},
        {"id": "B", "name": "户籍在片区", "all": ["hukou_in_zone"]},
        {"id": "C", "name": "房产在片区（父母或祖父母名下）", "all": ["property_in_zone", "property_owner in parent|grandparent"]},
        {"id": "D", "name": "随迁子女（本县居住证，社保满12个月）", "all": ["residence_permit", "social_insurance_months >= 12"]},
    ],
    "keys": ["-social_insurance_months"],
}
PHASES = [
    {"id": "apply", "name": "网上报名", "start": "2026-07-01", "end": "2026-07-07"},
    {"id": "verify", "name": "部门核验", "start": "2026-07-01", "end": "2026-07-10"},
    {"id": "review", "name": "资格审核", "start": "2026-07-08", "end": "2026-07-15"},
    {"id": "lottery", "name": "电脑随机摇号", "start": "2026-07-18", "end": "2026-07-18"},
    {"id": "publish", "name": "结果公示", "start": "2026-07-19", "end": "2026-07-25"},
    {"id": "overall", "name": "统筹安排", "start": "2026-07-26", "end": "2026-08-05"},
]
# the demo ceremony's entropy: a public lottery draw and two seeds committed beforehand
ENTROPY = [("福彩3D 2026186期开奖号码", "5 0 7", False), ("公证员种子", "xtgz-2026-0718-4817", True),
           ("家长代表种子", "jiazhang-daibiao-9d2c", True)]
URBAN_PROFILE = [("A", 52), ("B", 13), ("B_used", 4), ("C", 8), ("D", 10), ("D_short", 2), ("unmatched", 5),
                 ("self_built", 3), ("none", 3)]
TOWN_PROFILE = [("A", 30), ("B", 42), ("B_used", 2), ("C", 3), ("D", 8), ("D_short", 2), ("unmatched", 4),
                ("self_built", 6), ("none", 3)]


class SilentBackend:
    """The demo's messages are kept as Notice rows but sent nowhere (no noise in var/sms.log)."""

    def send(self, phone: str, text: str) -> None:
        pass


class PreloadedBackend(BaseBackend):
    """The local backend's answers from records already in memory (one query per county, not four
    per applicant); the same facts as verification.local.LocalBackend."""

    name = "local"

    def __init__(self, records: dict):
        self.records = records

    def check(self, kind: str, id_number: str) -> Result:
        data = self.records.get((kind, id_number))
        request = {"kind": kind, "id_number": id_number}
        if data is None:
            return Result(kind, "not_found", request=request)
        return Result(kind, "match", facts_from(kind, data), request=request, response=data)


def demo_png() -> bytes:
    """A small grey PNG standing in for a photographed certificate."""
    w, h = 240, 160
    raw = b"".join(b"\x00" + bytes([235 if 8 < x < w - 8 and 8 < y < h - 8 else 120 for x in range(w)]) for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


class Planner:
    def __init__(self, seed: int, county: OrgUnit):
        self.rng = random.Random(f"jiaoguan-demo/{seed}/enrollment")
        self.county = county
        self.used_ids: set[str] = set()
        self.used_tokens: set[str] = set()
        self.used_names: set[str] = set(COMPOUNDS) | set(NEW_COMPOUNDS)
        self.surnames = [s for s, _ in N.SURNAMES]
        self.surname_w = [w for _, w in N.SURNAMES]

    # ---- people
    def id_number(self, area: str, birth: datetime.date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = body + idnumbers.id_check_char(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def name(self, surname: str, male: bool, adult: bool) -> str:
        chars = (N.MAN_CHARS if male else N.WOMAN_CHARS) if adult else (N.BOY_CHARS if male else N.GIRL_CHARS)
        if self.rng.random() < 0.2:
            return surname + self.rng.choice(chars)
        return surname + self.rng.choice(chars) + self.rng.choice(chars)

    def token(self) -> str:
        alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
        while True:
            t = f"{YEAR}-" + "".join(self.rng.choice(alphabet) for _ in range(8))
            if t not in self.used_tokens:
                self.used_tokens.add(t)
                return t

    def village(self) -> str:
        while True:
            v = self.rng.choice(N.VILLAGE_FIRST) + self.rng.choice(N.VILLAGE_SECOND)
            name = v + "村"
            if v[0] != v[1] and name not in self.used_names and not any(name in u or u in name for u in self.used_names):
                self.used_names.add(name)
                return name

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))


# ---------------------------------------------------------------------------- geography

def plan_geography(p: Planner, county: OrgUnit) -> dict:
    """Townships with coordinates (km from the county seat), villages, and the county seat's
    roads and compounds divided between its urban townships."""
    rng = p.rng
    townships = list(OrgUnit.objects.filter(parent=county, level=OrgUnit.Level.TOWNSHIP).order_by("code"))
    urban_codes = set(School.objects.filter(org_unit__in=townships, location="urban").values_list("org_unit_id", flat=True))
    urban = [t for t in townships if t.pk in urban_codes] or townships[:1]
    rural = [t for t in townships if t not in urban]
    where = {}
    for i, t in enumerate(urban):
        where[t.pk] = (1.5 * math.cos(i * math.pi), 1.5 * math.sin(i * math.pi))
    for i, t in enumerate(rural):
        angle = 2 * math.pi * i / max(len(rural), 1) + rng.uniform(-0.2, 0.2)
        r = rng.uniform(9, 30)
        where[t.pk] = (round(r * math.cos(angle), 2), round(r * math.sin(angle), 2))
    villages = {t.pk: [p.village() for _ in range(8)] for t in rural}
    streets = list(N.STREETS)
    compounds = list(COMPOUNDS)
    rng.shuffle(streets)
    rng.shuffle(compounds)
    seat = {t.pk: {"streets": streets[i::len(urban)], "compounds": compounds[i::len(urban)]} for i, t in enumerate(urban)}
    return {"urban": urban, "rural": rural, "where": where, "villages": villages, "seat": seat}


def school_xy(p: Planner, geo: dict, school: School) -> tuple[float, float]:
    x, y = geo["where"].get(school.org_unit_id, (0.0, 0.0))
    jitter = 1.4 if school.location == "urban" else 0.8
    return round(x + p.rng.uniform(-jitter, jitter), 2), round(y + p.rng.uniform(-jitter, jitter), 2)


# ---------------------------------------------------------------------------- campaigns

def private_school(county: OrgUnit, geo: dict, stage: str) -> School:
    """The registry's private school teaching this stage, or one created for the demo."""
    types = ("nine_year", "primary", "twelve_year") if stage == "primary" else ("nine_year", "junior", "complete_secondary", "twelve_year")
    found = (School.objects.filter(org_unit__path__startswith=county.path, ownership="private", type__in=types, is_active=True)
             .order_by("code").first())
    if found:
        return found
    code = f"1{county.code}999"
    school, _ = School.objects.get_or_create(code=code, defaults={
        "name": f"{county.name}博雅实验学校", "org_unit": geo["urban"][0], "type": "nine_year", "location": "urban",
        "ownership": "private", "address": f"{county.name}{geo['urban'][0].name}文化路18号"})
    return school


def build_campaign(p: Planner, geo: dict, county: OrgUnit, year: SchoolYear, stage: str, oversubscribed: School | None):
    rng = p.rng
    in_county = School.objects.filter(org_unit__path__startswith=county.path, is_active=True).order_by("code")
    size = 45 if stage == "primary" else 50
    label = "小学一年级" if stage == "primary" else "初中七年级"
    campaign = Campaign.objects.create(
        county=county, year=year, stage=stage, name=f"{county.name}{YEAR}年{label}招生", status=Campaign.Status.OPEN,
        phases=PHASES, policy=POLICY,
        entropy_plan=[{"name": n, "commitment": lottery.commit(v) if committed else ""} for n, v, committed in ENTROPY])
    zones = []  # (zone name, [campaign schools], [units as (kind, name, from, to, parity)], township, kind)
    members: dict[int, list[CampaignSchool]] = defaultdict(list)

    def add(school: School, classes: int, private: bool = False) -> CampaignSchool:
        x, y = school_xy(p, geo, school)
        cs = CampaignSchool.objects.create(campaign=campaign, school=school, classes=classes, class_size=size, private=private, x=x, y=y)
        if not private:
            members[school.org_unit_id].append(cs)
        return cs

    if stage == "primary":
        for s in in_county.filter(type="primary", location="urban"):
            add(s, 4 if s == oversubscribed else rng.choice([3, 3, 4, 4, 5]))
        for s in in_county.filter(type="primary", name__endswith="中心小学"):
            add(s, 1)
    else:
        for s in in_county.filter(type="junior", location="urban"):
            add(s, rng.choice([9, 10, 11]))
        for s in in_county.exclude(location="urban").filter(type__in=["junior", "complete_secondary"]):
            add(s, rng.choice([1, 2, 2]))
        for s in in_county.exclude(location="urban").filter(type="nine_year", ownership="public"):
            add(s, 1)
    private = add(private_school(county, geo, stage), 2, private=True)

    # the county seat: each urban township's roads and compounds, divided between its schools
    for tw in geo["urban"]:
        schools = members.get(tw.pk, [])
        if not schools:
            continue
        seat = geo["seat"][tw.pk]
        if stage == "primary" and len(schools) >= 4:
            # 多校划片: the last two schools of the township share one zone
            groups = [[s] for s in schools[:-2]] + [schools[-2:]]
        else:
            groups = [schools] if stage == "junior" else [[s] for s in schools]
        units = {i: [] for i in range(len(groups))}
        for j, street in enumerate(seat["streets"]):
            if len(groups) == 1:
                units[0].append(("road", street, 1, 399, "all"))
            elif j % 3 == 2:  # one side of the road to one zone, the other side to the next
                a, b = j % len(groups), (j + 1) % len(groups)
                units[a].append(("road", street, 1, 399, "odd"))
                units[b].append(("road", street, 1, 399, "even"))
            else:
                cut = rng.randrange(120, 280)
                a, b = j % len(groups), (j + 2) % len(groups)
                units[a].append(("road", street, 1, cut, "all"))
                units[b].append(("road", street, cut + 1, 399, "all"))
        for j, compound in enumerate(seat["compounds"]):
            units[j % len(groups)].append(("compound", compound, None, None, "all"))
        for i, g in enumerate(groups):
            short = g[0].school.name.replace(county.name, "").replace(tw.name, "")
            name = f"{tw.name}{short.removesuffix('小学').removesuffix('中学') or '城区'}片区" if len(g) == 1 else \
                f"{tw.name}{'、'.join(s.school.name.replace(county.name, '').replace(tw.name, '').removesuffix('小学') for s in g)}片区"
            if stage == "junior":
                name = f"{tw.name}片区"
            zones.append((name, g, units[i], tw, "urban"))
    for tw in geo["rural"]:
        schools = members.get(tw.pk, [])
        if not schools:
            continue
        units = [("compound", v, None, None, "all") for v in geo["villages"][tw.pk]]
        units.append(("compound", f"{tw.name.removesuffix('镇').removesuffix('乡')}社区", None, None, "all"))
        zones.append((f"{tw.name}片区", schools, units, tw, "town"))
    for name, schools, units, _tw, _kind in zones:
        zone = Zone.objects.create(campaign=campaign, name=name)
        zone.schools.set(schools)
        AddressUnit.objects.bulk_create([AddressUnit(zone=zone, kind=k, name=n, number_from=a, number_to=b, parity=par)
                                         for k, n, a, b, par in units])
    return campaign, zones, private


# ---------------------------------------------------------------------------- applicants

def address_in(p: Planner, county: OrgUnit, tw: OrgUnit, units: list) -> str:
    rng = p.rng
    kind, name, low, high, parity = rng.choice(units)
    if kind == "road":
        n = rng.randrange(low, high + 1)
        if parity == "odd" and n % 2 == 0:
            n = n + 1 if n < high else n - 1
        if parity == "even" and n % 2 == 1:
            n = n + 1 if n < high else n - 1
        return f"{county.name}{tw.name}{name}{n}号"
    if name.endswith("村"):
        return f"{county.name}{tw.name}{name}{rng.randrange(1, 12)}组{rng.randrange(1, 60)}号"
    if name.endswith("社区"):
        return f"{county.name}{tw.name}{name}{rng.choice(N.STREETS)}{rng.randrange(1, 200)}号"
    return f"{county.name}{tw.name}{name}{rng.randrange(1, 30)}栋{rng.randrange(1, 4)}单元{rng.randrange(1, 30):02d}{rng.randrange(1, 5):02d}室"


def plan_applicants(p: Planner, county: OrgUnit, campaign: Campaign, zones: list, private: CampaignSchool,
                    oversubscribed: School | None, target: int) -> tuple[list[dict], dict]:
    rng = p.rng
    stage = campaign.stage
    if stage == "primary":
        born = (datetime.date(YEAR - 7, 9, 1), datetime.date(YEAR - 6, 8, 31))
    else:
        born = (datetime.date(YEAR - 13, 9, 1), datetime.date(YEAR - 12, 8, 31))
    capacity = {name: sum(cs.capacity for cs in schools) for name, schools, *_ in zones}
    factor = {}
    for name, schools, _units, _tw, kind in zones:
        over = oversubscribed is not None and any(cs.school_id == oversubscribed.pk for cs in schools)
        factor[name] = 1.45 if over else rng.uniform(0.8, 0.95) if kind == "urban" else rng.uniform(0.7, 0.9)
    raw = {name: capacity[name] * factor[name] for name in capacity}
    # ~1,800 / ~1,900 applicants for the full demo county; a smaller county (a test's --scale)
    # gets as many as its schools' places suggest
    target = min(target, round(sum(capacity.values()) * 0.89))
    scale = target / max(sum(raw.values()), 1)
    others = list(N.OTHER_HUNAN) + list(N.OTHER_PROVINCES)
    people, records = [], {}
    for name, schools, units, tw, kind in zones:
        profile = URBAN_PROFILE if kind == "urban" else TOWN_PROFILE
        for _ in range(round(raw[name] * scale)):
            what = rng.choices([k for k, _ in profile], [w for _, w in profile])[0]
            male = rng.random() < 0.52
            birth = p.date_between(*born)
            surname = rng.choices(p.surnames, p.surname_w)[0]
            local = what not in ("D", "D_short")
            area = county.code
            if not local:
                options = [c for c in others if c != county.code and idnumbers.region_valid_in(c, birth.year)]
                area = rng.choice(options)
            child_id = p.id_number(area, birth, male)
            father = rng.random() < 0.6
            g_birth = p.date_between(datetime.date(birth.year - 38, 1, 1), datetime.date(birth.year - 24, 12, 31))
            guardian_id = p.id_number(area if rng.random() < 0.8 else county.code, g_birth, father)
            home = address_in(p, county, tw, units)
            typed = {"hukou_address": "", "property_address": "", "residence_address": ""}
            since = p.date_between(datetime.date(YEAR - 12, 1, 1), datetime.date(YEAR - 1, 6, 30))
            if what in ("A", "B", "B_used", "unmatched", "self_built"):
                records[("hukou", child_id)] = {"address": home, "since": since.isoformat(), "holder": "parent" if rng.random() < 0.85 else "grandparent"}
            if what in ("A", "B_used", "C"):
                records[("property", guardian_id)] = {
                    "address": home, "owner": "parent" if rng.random() < 0.9 else "grandparent", "share": 1 if what != "C" or rng.random() < 0.8 else 0.5,
                    "since": p.date_between(datetime.date(YEAR - 15, 1, 1), datetime.date(YEAR - 1, 12, 31)).isoformat(),
                    "used_recently": what == "B_used"}
                if rng.random() < 0.5:
                    typed["property_address"] = home
            if what in ("D", "D_short"):
                records[("residence", guardian_id)] = {"address": home, "since": p.date_between(datetime.date(YEAR - 6, 1, 1), datetime.date(YEAR - 1, 3, 1)).isoformat()}
                records[("social_insurance", guardian_id)] = {"months": rng.randrange(12, 90) if what == "D" else rng.randrange(2, 12)}
                typed["residence_address"] = home if rng.random() < 0.8 else ""
                typed["hukou_address"] = f"{N.OTHER_HUNAN.get(area) or N.OTHER_PROVINCES.get(area, '')}{p.village()}"
            if what == "unmatched":
                new = rng.choice(NEW_COMPOUNDS)
                records[("hukou", child_id)]["address"] = f"{county.name}{tw.name}{new}{rng.randrange(1, 20)}栋{rng.randrange(1, 30)}0{rng.randrange(1, 4)}室"
            if what == "self_built":
                typed["property_address"] = home  # a self-built house the property register does not know
            if what == "none":
                typed["hukou_address"] = home
            people.append({
                "what": what, "zone": name, "home": home, "zone_schools": schools, "tw": tw, "kind": kind, "child_id_number": child_id,
                "child_name": p.name(surname, male, False), "child_sex": "男" if male else "女", "child_birth_date": birth,
                "guardian_name": p.name(surname if father else rng.choices(p.surnames, p.surname_w)[0], father, True),
                "guardian_relation": "父亲" if father else "母亲", "guardian_phone": N.MOBILE_PREFIXES[rng.randrange(len(N.MOBILE_PREFIXES))] + f"{rng.randrange(10**8):08d}",
                "guardian_id_number": guardian_id, "choices": [private.pk] if rng.random() < (0.17 if kind == "urban" else 0.03) else [],
                **typed,
            })
    return people, records


def write_applications(p: Planner, campaign: Campaign, people: list[dict]) -> list[Application]:
    start = timezone.make_aware(datetime.datetime(YEAR, 7, 1, 9, 0))
    apps = []
    for person in people:
        minutes = int(p.rng.expovariate(1 / 1800)) % (6 * 24 * 60)  # most in the first hours of the opening
        person["at"] = start + datetime.timedelta(minutes=minutes, seconds=p.rng.randrange(60))
        fields = {k: person[k] for k in ("child_id_number", "child_name", "child_sex", "child_birth_date", "guardian_name", "guardian_relation",
                                         "guardian_phone", "guardian_id_number", "hukou_address", "property_address", "residence_address", "choices")}
        apps.append(Application(campaign=campaign, token=p.token(), created=person["at"], status=Application.Status.SUBMITTED,
                                status_note="提交报名", **fields))
    Application.objects.bulk_create(apps, batch_size=1000)
    ApplicationEvent.objects.bulk_create([ApplicationEvent(application=a, at=a.created, actor="家长", status=Application.Status.SUBMITTED,
                                                           note="提交报名") for a in apps], batch_size=2000)
    for a, person in zip(apps, people):
        a.campaign = campaign
        person["app"] = a
    return apps


def verify_all(campaign: Campaign, apps: list[Application], backend) -> None:
    units = actions.zone_units(campaign)
    zone_schools = actions._zone_schools(campaign)
    for a in apps:
        actions.verify(a, backend=backend, units=units, zone_schools=zone_schools)


def review(p: Planner, campaign: Campaign, people: list[dict], user, *, settle: float) -> dict:
    """Staff work the queue: place unmatched addresses, accept uploaded documents. `settle` is
    the share of the queue they finish (the rest waits)."""
    rng = p.rng
    done = {"placed": 0, "documents": 0, "waiting": 0}
    png = demo_png()
    for person in people:
        app = person["app"]
        app.refresh_from_db(fields=["status", "status_note", "zone_school", "categories", "facts", "zone_note"])
        if app.status not in (Application.Status.REVIEW, Application.Status.NEEDS_DOCUMENTS):
            continue
        school = person["zone_schools"][0]
        if app.status == Application.Status.NEEDS_DOCUMENTS:
            if rng.random() < 0.15:
                done["waiting"] += 1
                continue  # the family has not uploaded anything yet
            kind = Document.Kind.SELF_BUILT if person["what"] == "self_built" else Document.Kind.HUKOU
            doc = actions.upload_document(app, kind, SimpleUploadedFile(f"{'宅基地使用证' if kind == Document.Kind.SELF_BUILT else '户口簿'}.png", png, "image/png"),
                                          "自建房，尚未办理不动产登记" if kind == Document.Kind.SELF_BUILT else "")
            if rng.random() > settle:
                done["waiting"] += 1
                continue  # uploaded, not reviewed yet
            actions.review_document(doc, True, "材料清晰有效", user)
            ties = {"hukou_in_zone", "property_in_zone"} if kind == Document.Kind.SELF_BUILT else {"hukou_in_zone"}
            if person["what"] == "self_built" and not app.facts.get("hukou_address"):
                ties = {"property_in_zone"}
            reason = "宅基地使用证与村委会证明已核实，住址在本片区" if kind == Document.Kind.SELF_BUILT else "户口簿已核实，户籍在本片区"
            actions.set_zone_school(app, school, ties, reason, user)
            done["documents"] += 1
        else:
            if rng.random() > settle:
                done["waiting"] += 1
                continue
            zone = person["zone"]
            actions.set_zone_school(app, school, {"hukou_in_zone"}, f"新建小区尚未列入片区表，经社区核实属于{zone}", user)
            done["placed"] += 1
    return done


def retime(campaign: Campaign, people: list[dict]) -> None:
    """Events written just now get the campaign's calendar: verification minutes after the
    submission, staff decisions in the review phase, the outcome on the allocation day."""
    base = timezone.make_aware(datetime.datetime(YEAR, 7, 9, 9, 0))
    outcome_day = timezone.make_aware(datetime.datetime(YEAR, 7, 18, 16, 30))
    rows = []
    by_app = {person["app"].pk: person for person in people}
    events = ApplicationEvent.objects.filter(application__campaign=campaign).order_by("application_id", "pk").values_list("pk", "application_id", "actor", "status")
    for pk, app_id, actor, status in events:
        person = by_app[app_id]
        t0 = person["at"]
        if status in (Application.Status.ADMITTED, Application.Status.PLACED, Application.Status.UNPLACED):
            at = outcome_day
        elif actor == "家长" and status != Application.Status.SUBMITTED:
            at = base - datetime.timedelta(hours=18) + datetime.timedelta(minutes=app_id % 600)
        elif actor not in ("家长", "系统"):
            at = base + datetime.timedelta(minutes=(app_id * 7) % (5 * 24 * 60))
        elif status == Application.Status.SUBMITTED:
            continue
        else:
            at = t0 + datetime.timedelta(seconds=20 + pk % 40)
        rows.append((at, pk))
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(ApplicationEvent._meta.db_table)
        cursor.executemany(f"UPDATE {table} SET {connection.ops.quote_name('at')} = %s WHERE id = %s", rows)


def populate(seed: int, log=print) -> dict:
    county = OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY).order_by("code").first()
    year = SchoolYear.objects.filter(start__year=YEAR).first()
    if county is None or year is None or Campaign.objects.filter(county=county, year=year).exists():
        return {}
    user = User.objects.filter(username="jiaoji").first() or User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        return {}
    p = Planner(seed, county)
    geo = plan_geography(p, county)
    school_user = User.objects.filter(username="school").select_related("school").first()
    out = {}
    with override_settings(SMS_BACKEND="jiaoguan.enrollment.demo_data.SilentBackend"):
        # ---- 小学一年级: the whole pipeline
        urban_primary = list(School.objects.filter(org_unit__path__startswith=county.path, type="primary", location="urban").order_by("code"))
        over = school_user.school if school_user and school_user.school in urban_primary else (urban_primary[0] if urban_primary else None)
        campaign, zones, private = build_campaign(p, geo, county, year, "primary", over)
        people, records = plan_applicants(p, county, campaign, zones, private, over, 1800)
        junior, jzones, jprivate = build_campaign(p, geo, county, year, "junior", None)
        jpeople, jrecords = plan_applicants(p, county, junior, jzones, jprivate, None, 1900)
        records.update(jrecords)
        DepartmentRecord.objects.bulk_create([DepartmentRecord(kind=k, id_number=i, data=d) for (k, i), d in sorted(records.items())],
                                             batch_size=2000)
        backend = PreloadedBackend(records)
        apps = write_applications(p, campaign, people)
        # the demo family: a first-grader who tried the private school, and an older sibling in 七年级
        family = next((x for x in people if x["choices"] and x["what"] == "A" and x["kind"] == "urban"), people[0])
        sibling = next((x for x in jpeople if x["tw"] == family["tw"] and x["what"] == "A"), jpeople[0])
        sibling["guardian_phone"], sibling["guardian_name"] = family["guardian_phone"], family["guardian_name"]
        sibling["guardian_id_number"], sibling["guardian_relation"] = family["guardian_id_number"], family["guardian_relation"]
        if family["tw"] == sibling["tw"]:  # the same home: the sibling's 户籍 at the family's address
            records[("hukou", sibling["child_id_number"])]["address"] = family["home"]
            sibling["property_address"] = family["property_address"]
        jrec = [k for k in records if k[1] == family["guardian_id_number"]]
        japps = write_applications(p, junior, jpeople)
        log(f"新生入学：{len(apps)}份小学一年级、{len(japps)}份初中七年级报名，{len(records)}条部门核验数据，核验中…")
        verify_all(campaign, apps, backend)
        verify_all(junior, japps, backend)
        queue = review(p, campaign, people, user, settle=1.0)
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.REVIEW)
        campaign.refresh_from_db()
        digest = ceremony.freeze(campaign, user)
        ceremony.record_entropy(campaign, [v for _, v, _ in ENTROPY], user)
        seed_hex = ceremony.draw(campaign, user)
        counts = ceremony.allocate(campaign, user)
        stamp = timezone.make_aware(datetime.datetime(YEAR, 7, 18, 10, 0))
        Campaign.objects.filter(pk=campaign.pk).update(frozen_at=stamp - datetime.timedelta(days=2), drawn_at=stamp)
        # ---- 初中七年级: verified, part of the queue worked, the rest for the staff
        jqueue = review(p, junior, jpeople, user, settle=0.35)
        Campaign.objects.filter(pk=junior.pk).update(status=Campaign.Status.REVIEW)
        retime(campaign, people)
        retime(junior, jpeople)
    cats = defaultdict(int)
    for a in Application.objects.filter(campaign=campaign).values_list("zone_school_id", "categories", "status"):
        entry = (a[1] or {}).get(str(a[0]), {}) if a[0] else {}
        cats[(entry.get("id") or "统筹") if entry else "未定"] += 1
    over_cs = campaign.schools.filter(school=over).first() if over else None
    log(f"  小学一年级：{len(apps)}人，类别 " + "，".join(f"{k}{'类' if len(k) == 1 else ''}{v}" for k, v in sorted(cats.items()))
        + f"；审核队列处理{queue['placed'] + queue['documents']}份，{queue['waiting']}份仍缺材料")
    log(f"  名册哈希 {digest[:16]}…，种子 {seed_hex[:16]}…；录取{counts['admitted']}人，统筹安排{counts['placed']}人，未安排{counts['unplaced']}人")
    if over_cs:
        demand = Application.objects.filter(campaign=campaign, zone_school=over_cs).count()
        log(f"  {'超额学校' if demand > over_cs.capacity else '城区学校'}：{over_cs.school.name}（计划{over_cs.capacity}人，对口报名{demand}人）；"
            f"民办{private.school.name}计划{private.capacity}人，{sum(1 for x in people if x['choices'])}人填报")
    log(f"  初中七年级：{len(japps)}人，待审核"
        f"{Application.objects.filter(campaign=junior, status__in=[Application.Status.REVIEW, Application.Status.NEEDS_DOCUMENTS]).count()}份"
        f"（材料待审核{Document.objects.filter(application__campaign=junior, status=Document.Status.PENDING).count()}份）")
    log(f"  家长端演示登录：/ruxue/ 手机号 {family['guardian_phone']}（两个孩子的报名；验证码见 var/sms.log，"
        f"或设置 ENROLLMENT_SHOW_SMS_CODE 后显示在页面上）")
    out.update(primary=campaign.pk, junior=junior.pk, phone=family["guardian_phone"], counts=counts, categories=dict(cats),
               review=queue, junior_review=jqueue, records=len(jrec))
    return out
