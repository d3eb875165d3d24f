"""Regenerate ``resources/words/english.txt``, the word list for PDF hyphenation.

The list is the 60,000 most frequent English words of ``wordfreq`` 3.1.1
(Robyn Speer, https://github.com/rspeer/wordfreq; data CC BY-SA 4.0), kept to
words of lowercase ASCII letters. The PDF reader uses it to decide whether a
line-end hyphen is part of the word ("water-saving") or a break ("reser-voir").

Usage: ``.venv/bin/pip install wordfreq==3.1.1 && .venv/bin/python scripts/make_wordlist.py``
"""

from __future__ import annotations

import re
from pathlib import Path

from wordfreq import top_n_list

TARGET = Path(__file__).resolve().parents[1] / "resources" / "words" / "english.txt"


def main() -> None:
    words = sorted({w for w in top_n_list("en", 60000) if re.fullmatch(r"[a-z]+", w)})
    TARGET.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words → {TARGET}")


if __name__ == "__main__":
    main()
