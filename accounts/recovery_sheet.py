"""How recovery shares are shown, once, when they are made."""

from __future__ import annotations


def format_shares(shares: list[str], threshold: int) -> str:
    lines = [
        "",
        "=" * 72,
        f"RECOVERY SHARES: any {threshold} of these {len(shares)} rebuild the recovery key.",
        "They are shown now and never again; Amanat does not keep them.",
        "Give each share to a different trustee, on paper, and keep them offline.",
        "=" * 72,
    ]
    for number, share in enumerate(shares, start=1):
        lines.append(f"Share {number}:")
        words = share.split()
        for start in range(0, len(words), 11):
            lines.append("    " + " ".join(words[start : start + 11]))
    lines.append("=" * 72)
    return "\n".join(lines) + "\n"
