from crypto import blind_index
from names import VERSION, buckets, matching

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))


def test_it_makes_truncated_bytes_buckets() -> None:
    person = matching.identity(["Memet Tursun"], birth_year=1978, county="Ghulja")
    got = buckets.of(KEY_A, person)
    assert got
    assert all(isinstance(b, bytes) and len(b) == buckets.BUCKET_BYTES for b in got)


def test_it_makes_different_buckets_under_another_index_key() -> None:
    person = matching.identity(["Memet Tursun"], birth_year=1978)
    assert not buckets.of(KEY_A, person) & buckets.of(KEY_B, person)


def test_it_keys_the_buckets_by_kind_and_version() -> None:
    person = matching.identity(["Memet"], birth_year=1978)
    year = blind_index(KEY_A, "1978", f"names:v{VERSION}:birth-year", buckets.BUCKET_BYTES)
    part = blind_index(KEY_A, "s:mmt", f"names:v{VERSION}:name-part", buckets.BUCKET_BYTES)
    assert {year, part} <= buckets.of(KEY_A, person)


def test_it_buckets_only_names_pairs_year_and_county() -> None:
    person = matching.identity(["Memet Tursun"], father="Ablimit", birth_year=1978, county="Ghulja")
    kinds = {kind for kind, _ in buckets.values(person)}
    assert kinds == {
        "name-part",
        "name-pair",
        "birth-year",
        "county",
        "pair-year",
        "pair-county",
    }


def test_it_combines_name_pairs_with_year_and_county_only_when_known() -> None:
    bare = matching.identity(["Memet Tursun"])
    assert {kind for kind, _ in buckets.values(bare)} == {"name-part", "name-pair"}
    dated = matching.identity(["Memet Tursun"], birth_year=1978)
    pairs = {v for kind, v in buckets.values(dated) if kind == "name-pair"}
    assert {v for kind, v in buckets.values(dated) if kind == "pair-year"} == {
        f"{v}@1978" for v in pairs
    }
    placed = matching.identity(["Memet Tursun"], county="Ghulja")
    assert {kind for kind, _ in buckets.values(placed)} == {
        "name-part",
        "name-pair",
        "county",
        "pair-county",
    }


def test_it_tells_namesakes_born_in_other_years_apart() -> None:
    a = buckets.weights(KEY_A, matching.identity(["Memet Tursun"], birth_year=1978))
    b = buckets.weights(KEY_A, matching.identity(["Memet Tursun"], birth_year=1979))
    same = buckets.weights(KEY_A, matching.identity(["Мемет Турсун"], birth_year=1978))
    assert max(a[x] for x in set(a) - set(b)) == buckets.WEIGHTS["pair-year"]
    assert any(a.get(x) == buckets.WEIGHTS["pair-year"] for x in same)


def _shared_pair(a: matching.Identity, b: matching.Identity) -> bool:
    shared = {v for v in buckets.values(a) & buckets.values(b) if v[0] == "name-pair"}
    return bool(shared) and bool(buckets.of(KEY_A, a) & buckets.of(KEY_A, b))


def test_it_shares_the_name_pair_bucket_across_scripts() -> None:
    latin = matching.identity([("Memet Tursun", "latin")])
    for other in ("Мамат Турсунов", "مەمەت تۇرسۇن", "Mehmet TURSUN", "Tursun Memet"):
        assert _shared_pair(latin, matching.identity([other])), other


def test_it_shares_the_name_pair_bucket_with_chinese_spellings() -> None:
    latin = matching.identity([("Memet Tursun", "latin")])
    for other in ("买买提·吐尔逊", "Maimaiti Tuerxun"):
        assert _shared_pair(latin, matching.identity([other])), other


def test_it_does_not_share_the_pair_bucket_of_a_namesake() -> None:
    a = matching.identity(["Memet Tursun"])
    b = matching.identity(["Memet Abdulla"])
    pairs_a = {v for v in buckets.values(a) if v[0] == "name-pair"}
    pairs_b = {v for v in buckets.values(b) if v[0] == "name-pair"}
    assert not pairs_a & pairs_b


def test_it_looks_up_what_it_stores() -> None:
    person = matching.identity(["Нұрлан Серікұлы"], birth_year=1990)
    assert buckets.query(KEY_A, person) == buckets.of(KEY_A, person)


def test_it_weighs_pairs_above_parts() -> None:
    person = matching.identity(["Memet Tursun"])
    assert set(buckets.weights(KEY_A, person).values()) == {1, 3}


def test_it_shares_a_pair_bucket_despite_a_slip_of_the_pen() -> None:
    slip = matching.identity(["Ilhkam Tursunov"])
    right = matching.identity(["Ilham Tursun"])
    assert _shared_pair(slip, right)
