"""The lottery against values computed independently with sha256sum and `openssl dgst -hmac`."""
from jiaoguan.enrollment import lottery

ROSTER = [("B2", 2, 5), ("A1", 1, 0)]
ROSTER_SHA256 = "e722fd95276321109233ec37b86fed03d3b6712ae04101fedf9b7941ce23dcf5"  # printf 'A1\t1\t0\nB2\t2\t5' | sha256sum
ENTROPY = ["福彩3D 2026155期 483", "notary-7f3a"]
SEED = "2a9f7e7959e850986662a615e9e010b1645deb8be1a60946095cfe01097a2860"
VECTORS = {  # printf '%s' TOKEN | openssl dgst -sha256 -hmac SEED
    "2026-7KQ3M9XD": "27c7b3d60a5487e37156f2417b4586441855142bad4424de094ca7679b3a209b",
    "2026-ABCDEFGH": "19043c9110201c0899805161f2bc13a6b2026854f47bfdbbfdbea279b0762535",
}


def test_roster_hash_is_canonical():
    assert lottery.roster_text(ROSTER) == "A1\t1\t0\nB2\t2\t5"
    assert lottery.roster_hash(ROSTER) == ROSTER_SHA256
    assert lottery.roster_hash(list(reversed(ROSTER))) == ROSTER_SHA256


def test_seed_and_numbers_match_independent_tools():
    assert lottery.draw_seed(2026, "430321", ROSTER_SHA256, ENTROPY) == SEED
    for token, expected in VECTORS.items():
        assert lottery.lottery_number(SEED, token) == expected
    assert [t for t, _ in lottery.draw(SEED, list(VECTORS))] == ["2026-ABCDEFGH", "2026-7KQ3M9XD"]  # 1904… < 27c7…


def test_rerun_gives_same_result_and_verify_names_mismatches():
    tokens = [lottery.new_token(2026) for _ in range(50)]
    assert lottery.draw(SEED, tokens) == lottery.draw(SEED, list(reversed(tokens)))
    published = [(t, lottery.lottery_number(SEED, t)) for t in tokens]
    assert lottery.verify(SEED, published) == []
    tampered = list(published)
    tampered[3] = (tampered[3][0], "0" * 64)
    assert [b[0] for b in lottery.verify(SEED, tampered)] == [tokens[3]]


def test_commit_reveal_and_masking():
    c = lottery.commit("notary-7f3a")
    assert lottery.check_reveal("notary-7f3a", c) and not lottery.check_reveal("notary-7f3b", c)
    assert (lottery.mask_name("张小明"), lottery.mask_name("李四"), lottery.mask_name("欧阳娜娜")) == ("张*明", "李*", "欧**娜")
    assert all(len(lottery.new_token(2026)) == 13 for _ in range(5))
