"""The rules of tools/build_people_seed.py that join two entries of the Lists of Persons into one
person, tried on entries as the FRUS lists write them (the tool itself runs by hand on the 99 volumes)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from fonds.enrich import personnames as pn

pytestmark = pytest.mark.database_independent

_spec = importlib.util.spec_from_file_location("build_people_seed",
                                               Path(__file__).resolve().parents[1] / "tools" / "build_people_seed.py")
builder = sys.modules.setdefault("build_people_seed", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(builder)


def _person(name: str, volumes: list[str], role: str = "") -> "builder.Person":
    person = builder.Person(pn.parse(name))
    person.forms[name] += len(volumes)
    person.volumes = list(volumes)
    person.roles = [(v, role) for v in volumes] if role else []
    return person


def test_a_person_known_by_the_middle_name_joins_the_full_entry():
    selwyn = _person("Lloyd, Selwyn", ["1955-57v02", "1955-57v10", "1958-60v02"])
    john_selwyn = _person("Lloyd, John Selwyn", ["1955-57v04"])
    other = _person("Lloyd, David", ["1969-76v01"])
    kept = builder._middle_name_into_full([selwyn, john_selwyn, other])
    assert kept == [selwyn, other]  # under the form more volumes use
    assert "Lloyd, John Selwyn" in selwyn.forms and "1955-57v04" in selwyn.volumes


def test_a_middle_name_two_entries_share_decides_nothing():
    alone = _person("Smith, Walter", ["1955-57v02"])
    kept = builder._middle_name_into_full([alone, _person("Smith, John Walter", ["1955-57v04"]),
                                           _person("Smith, James Walter", ["1958-60v02"])])
    assert len(kept) == 3


def test_one_office_one_surname_one_first_name_is_one_person():
    w = _person("Radford, Admiral Arthur W.", ["1955-57v01", "1955-57v02"],
                "USN, Chairman of the Joint Chiefs of Staff until August 14, 1957")
    m = _person("Radford, Admiral Arthur M.", ["1955-57v19"], "Chairman, Joint Chiefs of Staff, until August 1957")
    assert builder._office(w.roles[0][1]) == builder._office(m.roles[0][1]) == "chairman joint chiefs staff"
    assert builder._one_office_one_person([w, m]) == [w]
    # another first name in the same office is another person
    other = _person("Radford, Admiral Thomas W.", ["1969-76v01"], "Chairman, Joint Chiefs of Staff")
    assert len(builder._one_office_one_person([w, other])) == 2
