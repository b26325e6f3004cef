"""Certificate verification codes a person can read aloud, type and check.

A code is 16 characters of Crockford's base32 (80 random bits): digits and capital letters without
I, L, O and U, so nothing looks like anything else. It is stored in that canonical form and shown
in groups of four (`7KD3-9XQ2-M4TB-0HZE`). Reading a typed code forgives what people do: lower
case, dashes or spaces left in or out, an I or L for a 1, an O for a 0.

Certificates issued before these codes keep their old code (16 URL-safe base64 characters),
which is looked up as it was issued, in any case.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 × 5 bits = 80 bits
GROUP = 4
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def verification_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def verification_code_read(typed: str) -> str | None:
    """The canonical code `typed` stands for, or None when it cannot be one of these codes."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def verification_code_display(code: str) -> str:
    """`code` in groups of four; an old-style code as it was issued."""
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return code
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))
