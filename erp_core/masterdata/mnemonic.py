"""Mnemonic codes (助记码): the pinyin initials of a name, so 钢板料 is found by typing GBL."""

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 64


def pinyin_initials(name: str) -> str:
    """The first letter of each Chinese character's pinyin, uppercased; ASCII letters and digits
    are kept as they are (uppercased), anything else (spaces, dashes) is dropped.

    >>> pinyin_initials("Q235钢板 3mm")
    'Q235GB3MM'
    """
    pieces = lazy_pinyin(name or "", style=Style.FIRST_LETTER)
    text = "".join(pieces).upper()
    return "".join(char for char in text if char.isascii() and char.isalnum())[:MAX_LENGTH]
