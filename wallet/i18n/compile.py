"""Compile every ``.po`` catalogue into its ``.mo`` (dev tool: ``python -m wallet.i18n.compile``).

Why committed ``.mo`` files: an install from a plain checkout then needs no build step; the test
suite compares each committed ``.mo`` with its ``.po`` by meaning (messages and plural rule, not
bytes), so a newer or older Babel writing a different header never fails it.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from wallet.i18n import LOCALE_DIR


def compile_po(po_path: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main() -> int:
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compile_po(po))
        print(f"compiled {po.relative_to(LOCALE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
