import json
from pathlib import Path
from typing import Any

import pytest

from names import matching, stored

SPELLINGS = Path(__file__).resolve().parents[2] / "tests/fixtures/names/spellings.jsonl"


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SPELLINGS.read_text(encoding="utf-8").splitlines()]


def test_it_gives_back_the_same_identity_for_every_labelled_spelling() -> None:
    rows = _rows()
    for row, other in zip(rows, rows[1:] + rows[:1], strict=True):
        identity = matching.identity(
            [(row["name"], row["script"]), other["name"]],
            father=other["label"],
            birth_year=1978,
            county="Ghulja",
        )
        # Through JSON, as it is sealed: tuples become lists, frozensets sorted lists.
        again = stored.load(json.loads(json.dumps(stored.dump(identity))))
        assert again == identity


def test_it_compares_a_loaded_identity_as_the_parsed_one() -> None:
    a = matching.identity([("买买提·吐尔逊", "hani")], father="Tursun", birth_year=1978)
    b = matching.identity(
        [("Мамат Турсунов", "cyrillic"), ("memettursun", "latin")], county="Ghulja"
    )
    loaded = stored.load(json.loads(json.dumps(stored.dump(b))))
    assert matching.compare(a, loaded) == matching.compare(a, b)
    assert matching.compare(a, loaded).score >= 80


def test_it_keeps_what_is_not_known_as_not_known() -> None:
    empty = matching.identity([])
    assert stored.load(stored.dump(empty)) == empty
    assert stored.load(stored.dump(empty)).father is None


@pytest.mark.parametrize("data", [{}, {"names": [["x"]]}, {"names": 3}, []])
def test_it_refuses_data_of_another_shape(data: Any) -> None:
    with pytest.raises(ValueError):
        stored.load(data)
