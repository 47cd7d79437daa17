"""Tags as people type them here, read by taggit's own parser.

taggit splits on commas (double quotes keep a comma inside a tag), trims,
drops empty and repeated names. Here 、 ， ; ； separate like a comma, and a
text is always read comma-separated: "激光 焊接" is one tag, as people
writing Chinese mean it (taggit alone would split it at the space)."""

from taggit.utils import parse_tags as taggit_parse_tags

SEPARATORS = str.maketrans(dict.fromkeys("，、;；", ","))
MAX_TAGS = 20
MAX_TAG_LENGTH = 100  # taggit's Tag.name


def parse_tags(text):
    """The tag names in ``text``: at most MAX_TAGS, each at most
    MAX_TAG_LENGTH characters."""
    parts = (text or "").split('"')
    # Outside double quotes (and in a quote never closed) 、，;； are commas
    for n in range(len(parts)):
        if n % 2 == 0 or n == len(parts) - 1:
            parts[n] = parts[n].translate(SEPARATORS)
    text = '"'.join(parts)
    if not text.strip():
        return []
    # A trailing comma puts taggit in comma mode whatever the text holds.
    names = taggit_parse_tags(text + ",")
    return list(dict.fromkeys(name[:MAX_TAG_LENGTH] for name in names))[:MAX_TAGS]


def format_tags(names):
    """Names as an editable text that ``parse_tags`` reads back to the same
    names: joined with 、, a name holding a separator in double quotes.
    (taggit's ``edit_string_for_tags`` joins with ", " and quotes every name
    with a space: right for English, noisy in Chinese.)"""
    return "、".join(
        f'"{name}"' if set(name) & set(",，、;；") else name for name in names
    )
