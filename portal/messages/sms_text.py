"""How many SMS a text costs: GSM-7 (160 characters, 153 a part when several) or, as soon as
one character is outside the GSM alphabet (Arabic, "œ", emoji), UCS-2 (70, 67 a part), and
shortening a text to a number of parts between two words, never in the middle of one."""

# The GSM 03.38 default alphabet and, counted twice, its extension table.
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def units(text: str) -> tuple[int, bool]:
    """(length in the encoding's units, True when GSM-7)."""
    if is_gsm(text):
        return sum(2 if c in GSM_EXTENDED else 1 for c in text), True
    return len(text.encode("utf-16-le")) // 2, False  # emoji take two UCS-2 units


def segments(text: str) -> int:
    """The number of SMS the operator bills for `text`."""
    if not text:
        return 0
    length, gsm = units(text)
    single, part = (160, 153) if gsm else (70, 67)
    return 1 if length <= single else -(-length // part)


def fit_sms(text: str, max_segments: int) -> str:
    """`text` itself when it fits in `max_segments`, else its first words and "...", so a long
    message never becomes a surprise bill nor ends in the middle of a word."""
    if segments(text) <= max_segments:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words).rstrip(" ,;:") + "..."
        if segments(shorter) <= max_segments:
            return shorter
    return words[0][: 60 * max_segments]  # one giant word: what fits, as a last resort
