from typing import Any

from names import matching, search

KEY = bytes(range(32))


def test_it_ranks_by_shared_weight_then_id() -> None:
    assert search.rank({3: 4, 1: 4, 2: 7, 5: 0}) == [2, 1, 3]
    assert search.rank({i: i for i in range(1, 100)}, limit=3) == [99, 98, 97]


def test_it_finds_the_same_man_first_among_namesakes() -> None:
    index = search.MemoryIndex(KEY)
    index.add(1, matching.identity(["Memet Abdulla"], birth_year=1978))
    index.add(2, matching.identity(["Mehmet Tursun"], birth_year=1978))
    index.add(3, matching.identity(["Gulnar Tursun"], birth_year=1978))
    index.add(4, matching.identity(["Nurlan Serikuly"], birth_year=1990))
    found = index.candidates(matching.identity([("Мамат Турсунов", "cyrillic")], birth_year=1978))
    assert found[0][0] == 2
    assert found[0][1] > found[1][1]
    assert 4 not in [pid for pid, _ in found]


def test_it_returns_at_most_limit_best_first() -> None:
    index = search.MemoryIndex(KEY)
    for i in range(20):
        index.add(i, matching.identity([f"Memet Tursun{'a' * (i % 3)}"], birth_year=1970 + i))
    found = index.candidates(matching.identity(["Memet Tursun"], birth_year=1976), limit=5)
    assert len(found) == 5
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True)
    assert found[0][0] == 6  # Memet Tursun, born 1976


def test_it_gathers_by_the_weights_the_database_sums() -> None:
    index = search.MemoryIndex(KEY)
    index.add("a", matching.identity(["Memet Tursun"]))
    index.add("b", matching.identity(["Memet Abdulla"]))
    shared = index.shared(matching.identity(["Mamat Tursunov"]))
    # "a" shares parts and pairs (weight 3 each); "b" shares only the Memet parts.
    assert shared["a"] > shared["b"] + 3


def test_it_finds_a_name_with_a_slip_of_the_pen_among_many_namesakes() -> None:
    index = search.MemoryIndex(KEY)
    # More persons sharing "Tursun" than the bucket query gathers.
    given = ["Memet", "Ehmet", "Abdulla", "Ibrahim", "Qadir", "Rozi", "Niyaz", "Yasin"]
    for i in range(search.GATHER + 20):
        index.add(i, matching.identity([f"{given[i % len(given)]} Tursun"], birth_year=1950 + i))
    index.add(10_000, matching.identity(["Ilham Tursun"]))
    found = index.candidates(matching.identity(["Ilhkam Tursunov"]), limit=5)
    assert found[0][0] == 10_000


def test_it_ranks_ties_between_string_and_integer_ids_without_comparing_them() -> None:
    shared: dict[Any, int] = {"b": 3, 2: 3, "a": 3, 1: 5}
    assert search.rank(shared) == [1, 2, "a", "b"]


def test_it_does_not_gather_on_a_bucket_over_the_cap() -> None:
    index = search.MemoryIndex(KEY, cap=2)
    for i, year in enumerate((1970, 1978, 1985)):
        index.add(i, matching.identity(["Memet Tursun"], birth_year=year))
    # Every bucket of a bare "Memet Tursun" is on three persons: nobody is gathered.
    assert index.shared(matching.identity(["Memet Tursun"])) == {}
    assert index.candidates(matching.identity(["Memet Tursun"])) == []
    # Its pairs with the year are on one person each: that one is gathered, alone.
    found = index.candidates(matching.identity(["Memet Tursun"], birth_year=1978))
    assert [pid for pid, _ in found] == [1]
    # Under a higher cap the common buckets gather everyone again.
    wide = search.MemoryIndex(KEY, cap=3)
    for i, year in enumerate((1970, 1978, 1985)):
        wide.add(i, matching.identity(["Memet Tursun"], birth_year=year))
    assert set(wide.shared(matching.identity(["Memet Tursun"]))) == {0, 1, 2}
