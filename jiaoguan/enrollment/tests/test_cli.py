"""`jiaoguan allocate` and `jiaoguan lottery verify` on CSV files, without the web."""
import csv

import pytest
from django.core.management import call_command

from jiaoguan.enrollment import lottery


def run(capsys, *args):
    try:
        call_command(*map(str, args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_allocate_then_verify(tmp_path, capsys):
    schools = write(tmp_path / "s.csv", ["school_id", "capacity", "private", "x", "y"], [["PRI", 1, 1, 0, 0], ["Z1", 1, 0, 5, 0], ["Z2", 5, 0, 9, 0]])
    applicants = write(tmp_path / "a.csv", ["application_no", "choices", "category_PRI", "category_Z1", "category_Z2", "x", "y"], [
        ["2026-AAAA", "PRI;Z1", 1, 1, 3, 4, 0],
        ["2026-BBBB", "PRI;Z1", 1, 2, 3, 6, 0],
        ["2026-CCCC", "Z1", 1, 2, 3, 8, 0],
    ])
    out = tmp_path / "r.csv"
    seed = "s" * 64
    code, text, _ = run(capsys, "allocate", "--schools", schools, "--applicants", applicants, "--seed", seed, "--out", out, "--coordinates")
    assert code == 0 and "已分配 3 / 3 人" in text
    result = {r["application_no"]: r for r in csv.DictReader(open(out, encoding="utf-8"))}
    first = min(result, key=lambda t: lottery.lottery_number(seed, t) if t != "2026-CCCC" else "g")
    other = ({"2026-AAAA", "2026-BBBB"} - {first}).pop()
    assert result[first]["school_id"] == "PRI"         # the better lottery number wins the private school
    # the loser falls back to Z1 only if its category there beats C's (A: 1 < 2; B: 2 = 2 → lottery)
    assert result["2026-CCCC"]["school_id"] in ("Z1", "Z2") and result[other]["school_id"] in ("Z1", "Z2")
    assert {result[other]["school_id"], result["2026-CCCC"]["school_id"]} == {"Z1", "Z2"}  # 统筹 placed the last one at Z2
    code, text, _ = run(capsys, "lottery", "verify", "--seed", seed, "--file", out)
    assert code == 0 and "核验通过：3 个" in text
    rows = list(csv.reader(open(out, encoding="utf-8")))
    rows[2][2] = "0" * 64
    write(out, rows[0], rows[1:])
    code, _, err = run(capsys, "lottery", "verify", "--seed", seed, "--file", out)
    assert code == 1 and rows[2][0] in err


def test_allocate_rejects_bad_input(tmp_path, capsys):
    schools = write(tmp_path / "s.csv", ["school_id", "capacity"], [["A", "x"]])
    applicants = write(tmp_path / "a.csv", ["application_no", "choices", "category"], [["1", "B", 1]])
    code, _, err = run(capsys, "allocate", "--schools", schools, "--applicants", applicants, "--seed", "s", "--out", tmp_path / "o.csv")
    assert code == 2 and "schools.csv 第2行：capacity 应为非负整数" in err and "志愿学校 B 不在 schools.csv 中" in err
