"""Amounts in Chinese capital numerals (大写金额), as printed on VAT invoices and cheques.

``amount_in_words(Decimal("1234.56"))`` → ``壹仟贰佰叁拾肆元伍角陆分``; a whole amount ends in
整 (``100`` → ``壹佰元整``). The rules of the People's Bank of China: a run of zeros inside the
number reads as one 零; zeros at the end of a section are silent; 万 and 亿 close their sections.
"""

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")
MAX = Decimal("10") ** 16


def _section(number: int) -> str:
    """Words for 0 < number < 10000, with inner zeros collapsed and trailing zeros silent."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += DIGITS[0]
            zero = False
        text += DIGITS[digit] + UNITS[position]
    return text


def _integer_words(number: int) -> str:
    if number == 0:
        return ""
    sections = []
    while number:
        sections.append(number % 10000)
        number //= 10000
    text = ""
    need_zero = False
    for index in range(len(sections) - 1, -1, -1):
        value = sections[index]
        if value == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or value < 1000):
            text += DIGITS[0]
        text += _section(value) + SECTIONS[index]
        need_zero = False
    return text


def amount_in_words(amount: Decimal) -> str:
    """The amount in 大写, rounded half-up to the fen; a negative amount starts with 负.

    Raises ``ValueError`` for a non-finite amount or one of 10¹⁶ yuan or more.
    """
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"Not an amount: {amount!r}")
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(amount) >= MAX:
        raise ValueError("Amount too large for capital numerals.")
    sign = "负" if amount < 0 else ""
    amount = abs(amount)
    fen_total = int(amount * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if fen_total == 0:
        return "零元整"
    text = _integer_words(yuan)
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        return sign + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += DIGITS[0]
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text
