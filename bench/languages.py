"""Language detectors on the real sets (hand-run, not a test): why fonds uses lingua.

Takes 300 texts at random (fixed seed) from each of the Russian set (all Russian), the delegates'
letters and NARA's OCR texts (all English, the OCR very noisy), gives each detector the first
`--chars` characters of every text, and prints how many it called right and its time per text.
lingua-language-detector is a dependency of fonds; py3langid is measured when installed
(`.venv/bin/pip install py3langid`), as the peer in the same run.

    .venv/bin/python bench/languages.py [--chars 1000] [--seed 1] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from lingua import LanguageDetectorBuilder

REPO = Path(__file__).resolve().parents[1]
SETS = {"russian (ru)": ("russian/texts", "ru"), "delegates (en)": ("delegates/texts", "en"),
        "NARA OCR (en)": ("nara-jfk-2023/files/2023", "en")}


def detectors() -> dict:
    lingua = LanguageDetectorBuilder.from_all_languages().build()

    def with_lingua(text: str) -> str | None:
        found = lingua.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None

    from fonds.enrich import languages

    def whole_sample(text: str) -> str | None:
        first_look, languages.FIRST_LOOK_CHARS = languages.FIRST_LOOK_CHARS, len(text)
        try:
            return languages.detected_language(text)
        finally:
            languages.FIRST_LOOK_CHARS = first_look

    # fonds' own use of lingua (its confidences, a tie left undecided): over the whole sample, and
    # as fonds runs it, a first look at FIRST_LOOK_CHARS and the whole sample only when unsure.
    found = {"lingua": with_lingua, "fonds, whole sample": whole_sample,
             "fonds, first look first": languages.detected_language}
    try:
        import py3langid
    except ImportError:
        print("py3langid is not installed: measuring lingua alone")
    else:
        found["py3langid"] = lambda text: py3langid.classify(text)[0]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--seed", type=int, default=1, help="which 300 texts of each set are drawn")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    samples = {name: (rng.sample(sorted((args.corpus / folder).glob("*.txt")), 300), code)
               for name, (folder, code) in SETS.items()}
    print(f"| detector | set | right | ms per text (first {args.chars} characters) |\n|---|---|---:|---:|")
    for label, detect in detectors().items():
        for files, _ in samples.values():  # lingua loads a language's models when first needed
            for path in files[:50]:
                detect(path.read_text(encoding="utf-8")[:args.chars])
        for name, (files, code) in samples.items():
            texts = [path.read_text(encoding="utf-8")[:args.chars] for path in files]
            start = time.perf_counter()
            right = sum(detect(text) == code for text in texts)
            elapsed = (time.perf_counter() - start) * 1000 / len(texts)
            print(f"| {label} | {name} | {right} / {len(texts)} | {elapsed:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
