"""Document type on a controlled list (DESIGN.md: Decision, Minutes, Telegram, ...) from title and text.

The title decides when it names a type: first by its leading words ("Telegram From the Embassy in
the Soviet Union..."), then by a type word anywhere ("CC CPSU Presidium Decision, 'About...'").
Otherwise the opening lines of the text are read for the heading a type prints ("MEMORANDUM OF
CONVERSATION", "Excerpt from protocol no. 253", "Запись беседы", "Dear Mr. President,").
"""

from __future__ import annotations

import re

from fonds.enrich.findings import Context, Finding, spans
from fonds.records import Record

NAME = "doctype"

# (pattern, type); the longer phrases come before their prefixes. English and Russian forms.
TYPES: list[tuple[str, str]] = [
    (r"editorial note", "Editorial Note"),
    (r"(?:excerpts?|extract) (?:from|of) (?:the )?(?:minutes|protocol)|выписка из протокола", "Protocol Excerpt"),
    (r"memorandum of (?:a )?(?:telephone )?(?:conversation|conference)|(?:transcript of )?telephone conversation"
     r"|record of (?:a |the )?conversation|conversation (?:between|among|with)|запись беседы|беседа", "Memorandum of Conversation"),
    (r"memorandum of discussion|minutes|summary record|record of (?:a |the )?meeting|notes (?:of|on) (?:a |the )?meeting"
     r"|record of actions|protocol|stenographic (?:record|report)|transcript|протокол|стенограмма", "Minutes"),
    (r"(?:special )?national intelligence estimate|intelligence estimate", "Intelligence Estimate"),
    (r"national security (?:action|decision) memorandum|decision|resolution|decree|directive|постановление|решение"
     r"|резолюция|указ|директива", "Decision"),
    (r"(?:circular |backchannel |draft )?telegram|cable|телеграмма|шифртелеграмма", "Telegram"),
    (r"(?:circular )?airgram", "Airgram"),
    (r"despatch|dispatch", "Despatch"),
    (r"(?:circular )?instruction", "Instruction"),
    (r"letter|письмо|послание", "Letter"),
    (r"(?:oral |backchannel )?message", "Message"),
    (r"aide-m[ée]moire", "Aide-Mémoire"),
    (r"(?:national security study |information |action |briefing |research |intelligence |draft )?memorandum"
     r"|меморандум", "Memorandum"),
    (r"report|доклад|отч[её]т|донесение", "Report"),
    (r"(?:draft |position |briefing |background |working )?paper", "Paper"),
    (r"speech|address|remarks|речь|выступление", "Speech"),
    (r"statement|declaration|communiqu[ée]|заявление|коммюнике", "Statement"),
    (r"diary(?: entry)?|journal of|дневник", "Diary Entry"),
    (r"(?:intelligence |explanatory )?notes?|записка|справка", "Note"),
    # Types of published writings, as Russian collected works label them.
    (r"статья", "Article"),
    (r"брошюра", "Pamphlet"),
    (r"прокламация|листовка|воззвание", "Proclamation"),
    (r"приказ", "Order"),
    (r"комментарий", "Commentary"),
]
_LEADING = [(re.compile(rf"^(?:{pattern})(?!\w)", re.IGNORECASE), name) for pattern, name in TYPES]
_ANYWHERE = [(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), name) for pattern, name in TYPES]
_SALUTATION = re.compile(r"^(?:dear|my dear|уважаем\w*|дорог\w*|здравствуй\w*,?|тов\.|т\.|товарищу?)(?!\w).{0,60}[,:!]\s*$",
                         re.IGNORECASE)
# A letter's opening words at the start of a longer line (texts whose line breaks were lost):
# "Sir, Philada. May 10th. 1777 ...", "My dear Sir Baltimore ...", "Gentlemen, In Secret Committee".
_SALUTATION_START = re.compile(r"^(?:(?:my\s+)?(?:dear|dr\.?)\s+(?:sir|madam|friend|brother|\w+)\b|sirs?\b[,.]?|"
                               r"gentlemen\b|madam\b|honou?red\s+sir\b)", re.IGNORECASE)
# A title "X to Y" naming two correspondents ("Henry Lee to Richard Bland Lee", "Board of War to George
# Washington"): capitalised words, with only the small words of names in lower case; the sender in two
# words at least, so that "Instructions to the Delegation" is no letter.
_CORRESPONDENTS = re.compile(r"^(?P<from>[A-Z][\w.'’&-]*(?:,? (?:[A-Z&][\w.'’-]*|of|on|the|and|de|van|von|la|le|du)){1,7}),? to "
                             r"(?P<to>(?:the |a |his |her )?[A-Za-z][\w.'’-]*(?:,? (?:[A-Z][\w.'’-]*|of|in|the|and|de|van|"
                             r"von|la|le|du)){0,7})\??$")
# Words before a type word that make it not this document's type ("the letter of 3 June", "his report").
_MENTIONED = re.compile(r"(?:\b(?:the|a|an|his|her|their|your|my|our|this|that|of|on|about|to|in)\s+)$", re.IGNORECASE)
OPENING_LINES = 8
HEADING_CHARS = 80


def from_title(title: str) -> str | None:
    """The document type a title names, or None."""
    title = re.sub(r"^(?:No\.\s*)?\d+[A-Za-z]?\.\s+", "", title.strip())
    for pattern, name in _LEADING:
        if pattern.match(title):
            return name
    best = None
    for pattern, name in _ANYWHERE:
        for match in pattern.finditer(title):
            if not _MENTIONED.search(title[:match.start()]) and (best is None or match.start() < best[0]):
                best = (match.start(), name)
            break
    if best:
        return best[1]
    return "Letter" if _CORRESPONDENTS.match(title) else None


def from_text(text: str) -> tuple[str, int, int] | None:
    """(type, start, end) from a heading among the opening lines of a text, or None."""
    offset = 0
    for line in text.split("\n")[:OPENING_LINES]:
        stripped = line.strip()
        if 0 < len(stripped) <= HEADING_CHARS:
            for pattern, name in _LEADING:
                match = pattern.match(stripped)
                if match and (stripped.isupper() or name in ("Protocol Excerpt", "Memorandum of Conversation")
                              or len(stripped) <= 40 or not stripped[0].islower()):
                    start = offset + line.index(stripped)
                    return name, start, start + match.end()
            if _SALUTATION.match(stripped):
                start = offset + line.index(stripped)
                return "Letter", start, start + len(stripped)
        elif offset == 0 and (match := _SALUTATION_START.match(stripped)):
            start = line.index(stripped)
            return "Letter", start, start + match.end()
        offset += len(line) + 1
    return None


def enrich(record: Record, context: Context) -> list[Finding]:
    """Fill a missing type from the title, else from the opening lines of the text."""
    if record.type:
        return []
    found = from_title(record.title) if record.title else None
    if found:
        record.type = found
        return [Finding(record.id, "type", found, "title", 0.9, NAME, record.title)]
    for span in spans(record, title=False, citation=False)[:1]:
        heading = from_text(span.text)
        if heading:
            record.type, start, end = heading
            return [Finding(record.id, "type", record.type, span.source(start, end), 0.7, NAME, span.text[start:end])]
    return []
