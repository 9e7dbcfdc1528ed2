"""The zones import (kind `zones`) through the core pipeline: every row checked, nothing written
unless all pass, an error workbook otherwise. One row per address unit:

片区 | 对口学校标识码（多校以;分隔） | 类型 | 名称或道路 | 起止门牌号 | 单双号

The file is the campaign's whole zone table: zones are matched by name (their schools updated),
and the campaign's address units are replaced by the file's. The campaign is the one the page
was opened for (`ctx.campaign`); from the command line it is the campaign of the chosen school
year in which every listed school takes part."""
from __future__ import annotations

import re

from django.db.models import Count

from jiaoguan.core.excel import Column
from jiaoguan.core.importing import Importer, register

from .models import AddressUnit, Campaign, CampaignSchool, Zone

KIND_MAP = {"小区/社区/村": "compound", "小区": "compound", "社区": "compound", "村": "compound", "小区/社区": "compound",
            "道路门牌号段": "road", "道路": "road", "门牌号段": "road", "compound": "compound", "road": "road"}
PARITY_MAP = {"全部": "all", "单号": "odd", "双号": "even", "单": "odd", "双": "even", "all": "all", "odd": "odd", "even": "even"}
RANGE = re.compile(r"^(\d+)(?:\.0)?(?:\s*号?\s*[-–—~～至到]\s*(\d+)(?:\.0)?)?\s*号?$")
FROZEN = (Campaign.Status.FROZEN, Campaign.Status.DRAWN, Campaign.Status.ALLOCATED, Campaign.Status.CLOSED)


def parse_range(text: str | None) -> tuple[int | None, int | None] | str:
    """'1-199' → (1, 199); '' → (None, None); anything else → the message."""
    if not text:
        return None, None
    m = RANGE.match(text.replace(" ", ""))
    if not m:
        return "应写成如“1-199”（起号-止号）"
    low, high = int(m.group(1)), int(m.group(2) or m.group(1))
    if low > high:
        return f"起号{low}大于止号{high}"
    return low, high


@register
class ZoneImporter(Importer):
    kind = "zones"
    title = "招生片区"
    intro = ("每行一个地址单元：小区、社区、村按名称匹配，道路按门牌号段匹配（可只划单号或双号一侧）。"
             "多校划片时在“对口学校标识码”中列出多所学校，以英文分号;分隔。导入后本招生计划的地址单元以本表为准（整体替换）。")
    columns = [
        Column("zone", "片区", required=True, max_len=60, note="片区名称；同一片区的各行须填写相同的对口学校", example="金霞片区"),
        Column("schools", "对口学校标识码（多校以;分隔）", required=True, text=True, max_len=200,
               note="本片区对口学校的10位学校标识码，多校划片时以;分隔，学校须已列入本招生计划", example="1430321001", width=26),
        Column("kind", "类型", required=True, kind="choice", choice_map=KIND_MAP, note="小区/社区/村，或道路门牌号段", example="道路门牌号段"),
        Column("name", "名称或道路", required=True, max_len=100, note="小区、社区、村的名称，或道路名称", example="金霞路", width=20),
        Column("numbers", "起止门牌号", max_len=30, note="道路必填，如 1-199；小区、社区、村不填", example="1-199"),
        Column("parity", "单双号", kind="choice", choice_map=PARITY_MAP, note="全部、单号或双号；空白为全部", example="单号"),
    ]

    # ---------------------------------------------------------------- which campaign
    def _campaign(self, rows, errors, ctx) -> Campaign | None:
        campaign = getattr(ctx, "campaign", None)
        if campaign is not None:
            return campaign
        codes = {c.strip() for v in rows["schools"].drop_nulls().to_list() for c in re.split(r"[;；,，\s]+", v) if c.strip()}
        candidates = (Campaign.objects.filter(year=ctx.year, schools__school__code__in=codes)
                      .annotate(n=Count("schools", distinct=True)).order_by("pk"))
        found = [c for c in candidates if c.schools.filter(school__code__in=codes).count() == len(codes)]
        if len(found) != 1:
            errors.add(0, "", f"无法确定是哪个招生计划的片区（{ctx.year}学年{'有多个' if found else '没有'}招生计划包含表中全部学校）；"
                              "请在“新生入学 → 招生计划 → 片区”页面导入")
            return None
        return found[0]

    def check(self, rows, errors, warnings, ctx):
        from .permissions import can_manage

        campaign = self._campaign(rows, errors, ctx)
        self._campaign_obj = campaign
        if campaign is None:
            return
        if not can_manage(ctx.user, campaign):
            errors.add(0, "", "只有基础教育股可以导入招生片区，未写入任何数据")
            return
        if campaign.status in FROZEN:
            errors.add(0, "", f"招生计划“{campaign.name}”的名册已冻结，不能再修改片区，未写入任何数据")
            return
        by_code = {cs.school.code: cs for cs in campaign.schools.select_related("school")}
        zone_schools: dict[str, tuple[int, tuple]] = {}
        units: dict[tuple, int] = {}
        roads: dict[str, list] = {}
        self._plan = []
        for i, r in enumerate(rows.iter_rows(named=True)):
            codes = [c.strip() for c in re.split(r"[;；,，\s]+", r["schools"] or "") if c.strip()]
            ids = []
            for code in codes:
                cs = by_code.get(code)
                if cs is None:
                    errors.add(i, "对口学校标识码", f"学校{code}不在招生计划“{campaign.name}”中（请先把学校列入招生计划）")
                else:
                    ids.append(cs.pk)
            if r["zone"] and ids and len(ids) == len(codes):
                key = tuple(sorted(set(ids)))
                first = zone_schools.setdefault(r["zone"], (i, key))
                if first[1] != key:
                    errors.add(i, "对口学校标识码", f"与第{first[0] + 2}行同一片区“{r['zone']}”的对口学校不一致")
            kind, name = r["kind"], r["name"]
            rng = parse_range(r["numbers"])
            if isinstance(rng, str):
                errors.add(i, "起止门牌号", rng)
                rng = (None, None)
            parity = r["parity"] or "all"
            if kind == "compound" and (rng != (None, None) or parity != "all"):
                errors.add(i, "起止门牌号", "小区、社区、村按名称整体划片，不填门牌号和单双号")
            if kind == "road" and rng == (None, None) and not r["numbers"]:
                errors.add(i, "起止门牌号", "道路须填写起止门牌号，如 1-199（整条路可填 1-9999）")
            if not (kind and name and r["zone"]):
                continue
            if kind == "compound":
                first = units.setdefault((kind, name), i)
                if first != i:
                    errors.add(i, "名称或道路", f"“{name}”已在第{first + 2}行划入片区；同一小区/村只能划入一个片区（多校划片请在同一片区列出多所学校）")
            elif rng != (None, None):
                for j, (lo, hi, par, zone) in roads.get(name, []):
                    if lo <= rng[1] and rng[0] <= hi and (par == "all" or parity == "all" or par == parity):
                        errors.add(i, "起止门牌号", f"{name}{rng[0]}-{rng[1]}号与第{j + 2}行（{zone}，{lo}-{hi}号）重叠")
                        break
                roads.setdefault(name, []).append((i, (rng[0], rng[1], parity, r["zone"])))
            self._plan.append((r["zone"], kind, name, rng[0], rng[1], parity))
        self._zone_schools = {z: list(ids) for z, (_, ids) in zone_schools.items()}

    def write(self, rows, ctx):
        campaign = self._campaign_obj
        zones = {z.name: z for z in Zone.objects.filter(campaign=campaign)}
        old_units = {(u.zone.name, u.kind, u.name, u.number_from, u.number_to, u.parity)
                     for u in AddressUnit.objects.filter(zone__campaign=campaign).select_related("zone")}
        for name, ids in self._zone_schools.items():
            zone = zones.get(name) or Zone.objects.create(campaign=campaign, name=name)
            zones[name] = zone
            if sorted(zone.schools.values_list("pk", flat=True)) != ids:
                zone.schools.set(CampaignSchool.objects.filter(pk__in=ids))
        AddressUnit.objects.filter(zone__campaign=campaign).delete()
        AddressUnit.objects.bulk_create([AddressUnit(zone=zones[z], kind=k, name=n, number_from=lo, number_to=hi, parity=p)
                                         for z, k, n, lo, hi, p in self._plan], batch_size=2000)
        Zone.objects.filter(campaign=campaign).exclude(name__in=list(self._zone_schools)).filter(units__isnull=True).delete()
        new = set(self._plan)
        return len(new - old_units), 0, len(new & old_units)
