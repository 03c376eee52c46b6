"""How a personal name from a List of Persons is read into its parts (`fonds.enrich.personnames`):
the surname decides which mentions reach an authority, and which entries of two volumes are one
person. Each case is an entry of a FRUS List of Persons."""

from __future__ import annotations

import pytest

from fonds.enrich.personnames import PersonName, parse, same_person

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


@pytest.mark.parametrize("name, parts", [
    # a ruler is called by the name before the regnal number (frus1961-63v04, 1964-68v18)
    ("Hussein I ibn Talal", PersonName(("hussein",), ("talal",))),
    ("Hussein I, ibn Talal", PersonName(("hussein",), ("talal",))),
    ("Faisal II, King", PersonName(("faisal",), (), ("king",))),
    ("Makarios III", PersonName(("makarios",))),
    ("Chen I", PersonName(("chen",), ("i.",))),  # Chen Yi, in the Wade-Giles of frus1964-68v30
    # ... but a letter before a surname is an initial, with or without its dot
    ("Joseph V Stalin", PersonName(("stalin",), ("joseph", "v."))),
    ("Smith, John I.", PersonName(("smith",), ("john", "i."))),
    # a Vietnamese name is called by its last word; its "Van" is no Dutch particle (frus1961-63v04)
    ("Tran Van Don", PersonName(("don",), ("tran", "van"))),
    ("Duong Van Minh", PersonName(("minh",), ("duong", "van"))),
    ("Le Van Kim", PersonName(("kim",), ("le", "van"))),
    ("Ludwig van Beethoven", PersonName(("van", "beethoven"), ("ludwig",))),
    # abbreviated ranks are titles, not given names (frus1961-63v02)
    ("Krulak, Maj. Gen. Victor H. (USMC)", PersonName(("krulak",), ("victor", "h."), ("maj", "gen"))),
    ("Timmes, Brig. Gen. Charles J.", PersonName(("timmes",), ("charles", "j."), ("brig", "gen"))),
    # a British style of address is no given name (frus1955-57v13 lists "Eden, Rt. Hon. Sir Anthony")
    ("Eden, Rt. Hon. Sir Anthony", PersonName(("eden",), ("anthony",), ("rt", "hon", "sir"))),
    # Chinese and Korean names: the family name first, a hyphenated given name after it (1955-57v03
    # lists "Wang Ping-nan", "Chiang Kai-shek, Generalissimo"); an English double-barrelled name stays whole
    ("Wang Ping-nan", PersonName(("wang",), ("ping-nan",))),
    ("Chiang Kai-shek, Generalissimo", PersonName(("chiang",), ("kai-shek",))),
    ("Kim Il-sung", PersonName(("kim",), ("il-sung",))),
    ("Lloyd-George, David", PersonName(("lloyd-george",), ("david",))),
    ("Jean-Paul Sartre", PersonName(("sartre",), ("jean-paul",))),
    # a monk's title, before or after the name (frus1961-63v04 lists "Tri Quang, bonze")
    ("Tri Quang, bonze", PersonName(("quang",), ("tri",), ("bonze",))),
    ("Thich Tri Quang", PersonName(("quang",), ("tri",), ("thich",))),
    # a title after the first word: an inverted name whose comma the list left out (frus1958-60v11
    # lists "Nasser Colonel Gamal Abdel"); a direct name puts its title first
    ("Nasser Colonel Gamal Abdel", PersonName(("nasser",), ("gamal", "abdel"), ("colonel",))),
    ("Colonel Gamal Abdel Nasser", PersonName(("nasser",), ("gamal", "abdel"), ("colonel",))),
])
def test_name_parts(name, parts):
    assert parse(name) == parts


def test_one_general_under_two_spellings_of_his_rank():
    """frus1961-63v02 lists "Krulak, Maj. Gen. Victor H. (USMC)", other volumes "Krulak, Major
    General Victor H.": one person, whom the packaged authorities hold once."""
    from fonds.enrich.authorities import seed

    assert same_person(parse("Krulak, Maj. Gen. Victor H. (USMC)"), parse("Krulak, Major General Victor H."))
    assert len([p for p in seed() if p.authority.name.startswith("Krulak")]) == 1


@pytest.mark.parametrize("first, second, compatible", [
    # known by the middle name (frus1961-63v04 writes "Mr. Alexis Johnson", its list "Johnson, U. Alexis")
    (("alexis",), ("u.", "alexis"), True),
    (("averell",), ("w.", "averell"), True),
    (("struve",), ("h.", "struve"), True),
    # but a first name that is not the middle one, or an initial against another middle name, is not
    (("boris",), ("u.", "alexis"), False),
    (("a.",), ("u.", "alexis"), False),
    (("alexis",), ("ural", "alexis"), False),
])
def test_given_names_of_a_person_known_by_the_middle_one(first, second, compatible):
    from fonds.enrich.personnames import given_compatible

    assert given_compatible(first, second) is compatible and given_compatible(second, first) is compatible


def test_an_arabic_article_before_a_surname_is_one_name_with_or_without_it():
    """The lists write "al-Said, Nuri" and "Nuri el-Said", the texts "Nuri Said" and "Al-Said"."""
    from fonds.enrich.personnames import surname_key, without_article

    assert surname_key("al-Said") == surname_key("el-Said") == surname_key("es-Said") == surname_key("Said")
    assert without_article("ash-Shishakli") == "Shishakli"
    assert without_article("En-lai") == "En-lai" and without_article("al-Ma") == "al-Ma"  # no article, too short
