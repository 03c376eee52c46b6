"""Memory and time of `fonds ingest` on each hostile file of issue 12, beside a good file.

Each file is built by tests/hostile.py, then ingested with the seed page into a fresh home by
`/usr/bin/time -v python -m fonds ingest --jobs 1` (one process, so its peak memory includes the
reader's). The peer is the seed page alone, ingested the same way in the same run.

    .venv/bin/python bench/hostile.py                 # this checkout
    .venv/bin/python bench/hostile.py --src OTHER/src # another tree's code (e.g. `git archive` of main)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import hostile  # noqa: E402
from tests.conftest import SEED  # noqa: E402


def cases(folder: Path, outside: Path) -> dict[str, Path | None]:
    (outside / "scans").mkdir(parents=True)
    (outside / "scans" / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (outside / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    link_folder = folder / "linked"
    link_folder.mkdir()
    (link_folder / "passwd.txt").symlink_to(outside / "passwd")
    return {
        "seed page alone (peer)": None,
        "page_images outside (jsonl)": hostile.page_images_jsonl(folder / "grab.jsonl", outside / "scans" / "secret.png"),
        "symlink out of a folder": link_folder,
        "TEI nested 2,000 deep": hostile.nested_tei(folder / "deep.xml"),
        "JSON nested 100,000 deep": hostile.nested_jsonl(folder / "deep.jsonl"),
        "Markdown front matter nested 30,000 deep": hostile.nested_markdown(folder / "deep.md"),
        "PDF page 200 x 200 in": hostile.huge_page_pdf(folder / "huge.pdf"),
        "XLSX of 900,000 rows": hostile.many_rows_xlsx(folder / "rows.xlsx"),
        "JSON line of 30 MB": hostile.long_jsonl_line(folder / "big.jsonl"),
        "DOCTYPE SYSTEM file:///etc/passwd": hostile.doctype_tei(folder / "doctype.xml", Path("/etc/passwd")),
        "TEI without documents": hostile.empty_tei(folder / "intro.xml"),
    }


def snapshot(folder: Path) -> dict[str, str]:
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.rglob("*") if path.is_file()}


def measure(src: Path, work: Path, target: Path | None) -> dict:
    home = Path(tempfile.mkdtemp(dir=work, prefix="home-"))
    env = {**os.environ, "PYTHONPATH": str(src), "FONDS_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    paths = [str(SEED)] + ([str(target)] if target else [])
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "fonds", "ingest", "--jobs", "1", *paths],
                          capture_output=True, text=True, env=env, timeout=1800)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr).group(1)
    seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
    lines = [line for line in done.stderr.splitlines() if line.startswith(("error:", "Traceback", "RecursionError"))
             or "Error:" in line]
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return {"rss_mb": rss / 1024, "seconds": seconds, "exit": done.returncode,
            "message": (lines[-1] if lines else "")[:150], "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=REPO / "src", help="the src/ folder of the code to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fonds-hostile-") as tmp:
        work = Path(tmp)
        (work / "files").mkdir()
        found = cases(work / "files", work / "outside")
        print(f"code: {args.src}; python {sys.version.split()[0]}; {os.cpu_count()} cores")
        print("| file | exit | peak memory MB | seconds | seed stored | outside untouched | message |")
        print("|---|---:|---:|---:|---|---|---|")
        for name, target in found.items():
            before = snapshot(work / "outside")
            result = measure(args.src, work, target)
            stored = "yes" if "1 documents created" in result["summary"] or "2 documents created" in result["summary"] else "no"
            untouched = "yes" if snapshot(work / "outside") == before else "**no**"
            message = result["message"].replace(str(work), "…").replace("|", "\\|")
            print(f"| {name} | {result['exit']} | {result['rss_mb']:.0f} | {result['seconds']:.1f} | {stored} | {untouched} "
                  f"| {message} |", flush=True)


if __name__ == "__main__":
    main()
