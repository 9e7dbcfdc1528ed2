"""jiaoguan allocate --schools schools.csv --applicants applicants.csv --seed S --out result.csv"""
import csv
import sys

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from jiaoguan.enrollment import allocation, lottery


def read_csv(path: str) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        raise CommandError(f"找不到文件 {path}") from None


class Command(BaseCommand):
    help = ("按延迟接受算法分配学位（单一摇号号码，学生提议）。schools.csv：school_id,capacity[,private][,x,y]；"
            "applicants.csv：application_no,choices（以;分隔，志愿先后）及每校一列 category_<school_id> 或一列 category"
            "（数字越小越优先）[,x,y]。结果：application_no,school_id,lottery。")
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--schools", required=True)
        parser.add_argument("--applicants", required=True)
        parser.add_argument("--seed", required=True, help="摇号种子（公开的种子字符串）")
        parser.add_argument("--out", required=True)
        parser.add_argument("--coordinates", action="store_true", help="对未录取者统筹：按坐标 x,y 安排到最近的有空余学位的学校")

    def handle(self, schools, applicants, seed, out, coordinates=False, **options):
        school_rows, rows = read_csv(schools), read_csv(applicants)
        errors = []
        index, capacity = {}, []
        for n, r in enumerate(school_rows, start=2):
            sid = (r.get("school_id") or "").strip()
            try:
                cap = int(r.get("capacity", ""))
                if cap < 0:
                    raise ValueError
            except ValueError:
                errors.append(f"schools.csv 第{n}行：capacity 应为非负整数")
                continue
            if not sid or sid in index:
                errors.append(f"schools.csv 第{n}行：school_id 为空或重复")
                continue
            index[sid] = len(capacity)
            capacity.append(cap)
        k = max((len([c for c in (r.get("choices") or "").split(";") if c.strip()]) for r in rows), default=1) or 1
        prefs = np.full((len(rows), k), -1, dtype=np.int64)
        category = np.zeros((len(rows), k), dtype=np.int64)
        tokens = []
        for n, r in enumerate(rows):
            token = (r.get("application_no") or "").strip()
            if not token:
                errors.append(f"applicants.csv 第{n + 2}行：application_no 为空")
            tokens.append(token)
            for j, sid in enumerate(c.strip() for c in (r.get("choices") or "").split(";") if c.strip()):
                if sid not in index:
                    errors.append(f"applicants.csv 第{n + 2}行：志愿学校 {sid} 不在 schools.csv 中")
                    continue
                prefs[n, j] = index[sid]
                raw = r.get(f"category_{sid}", r.get("category", "0")) or "0"
                try:
                    category[n, j] = int(raw)
                except ValueError:
                    errors.append(f"applicants.csv 第{n + 2}行：类别 {raw} 应为整数")
        if len(set(tokens)) != len(tokens):
            errors.append("applicants.csv：application_no 有重复")
        if errors:
            for e in errors[:100]:
                sys.stderr.write(e + "\n")
            sys.exit(2)
        numbers = [lottery.lottery_number(seed, t) for t in tokens]
        keys = allocation.priority_keys(category, np.array(numbers))
        cap = np.array(capacity, dtype=np.int64)
        assign = allocation.deferred_acceptance(prefs, keys, cap)
        if coordinates:
            try:
                sxy = np.array([[float(r["x"]), float(r["y"])] for r in school_rows])
                axy = np.array([[float(r.get("x") or "nan"), float(r.get("y") or "nan")] for r in rows])
            except (KeyError, ValueError):
                raise CommandError("--coordinates 需要两个文件都有 x,y 列") from None
            assign, _ = allocation.place_remaining(assign, cap, axy, sxy, order=np.argsort(np.array(numbers)))
        ids = list(index)
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["application_no", "school_id", "lottery"])
            for token, s, number in zip(tokens, assign, numbers):
                w.writerow([token, ids[s] if s >= 0 else "", number])
        placed = int((assign >= 0).sum())
        self.stdout.write(f"已分配 {placed} / {len(tokens)} 人，结果写入 {out}")
