"""From/To cells as release sheets write them (values taken from the NARA 2023 JFK sheet and the
delegates' metadata): people, offices and codes, withheld names, and placeholders."""

from __future__ import annotations

import pytest

from fonds.readers.parties import Party, party

pytestmark = pytest.mark.database_independent  # no database: the PostgreSQL pass leaves it out


@pytest.mark.parametrize("value, expected", [
    ("BOLTEN, S.R., DDO", Party("person", "BOLTEN, S.R.")),
    ("J.D. ESTERLINE, C/WH/4", Party("person", "J.D. ESTERLINE")),
    ("SULLIVAN,JOHN J,SPEC.AGT.IN CHARGE", Party("person", "SULLIVAN, JOHN J")),
    ("HELMS, RICHARD. DIRECTOR", Party("person", "HELMS, RICHARD")),
    ("RICHARD HELMS DIRECTOR", Party("person", "RICHARD HELMS")),
    ("JOSEPH A. CALIFANO, JR.", Party("person", "JOSEPH A. CALIFANO, JR.")),
    ("LIBBY, WH/SA/CI", Party("person", "LIBBY")),
    ("SCOWCROFT, BRENT", Party("person", "SCOWCROFT, BRENT")),
    ("Rusk", Party("person", "Rusk")),
    ("St. George Tucker", Party("person", "St. George Tucker")),
    ("Robert R. Livingston, Jr.", Party("person", "Robert R. Livingston, Jr.")),
    ("DIRECTOR, FBI", Party("organization", "DIRECTOR, FBI")),
    ("CHIEF, WH DIVISION", Party("organization", "CHIEF, WH DIVISION")),
    ("SAC, MM", Party("organization", "SAC, MM")),
    ("C/WH/2", Party("organization", "C/WH/2")),
    ("JMWAVE", Party("organization", "JMWAVE")),
    ("MEXICO CITY", Party("organization", "MEXICO CITY")),
    ("PARIS, BRUSSELS", Party("organization", "PARIS, BRUSSELS")),
    ("HQ", Party("organization", "HQ")),
    ("Board of War", Party("organization", "Board of War")),
    ("Willing, Morris & Co.", Party("organization", "Willing, Morris & Co.")),
    ("WITHHELD", Party("withheld", "WITHHELD")),
    ("[RESTRICTED]", Party("withheld", "[RESTRICTED]")),
    ("THE RECORD", Party("none")),
    ("MEMO FOR THE RECORD.", Party("none")),
    ("MULTIPLE ADDRESSEES", Party("none")),
    ("Unknown", Party("none")),
])
def test_party(value, expected):
    assert party(value) == expected
