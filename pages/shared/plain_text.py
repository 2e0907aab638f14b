"""Text people typed (names, unit names, titles), made safe to place in Streamlit's markdown:
shown as the characters typed, never as a link, an image, bold, a list or a colour directive."""

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:^=])")


def plain(text: object) -> str:
    return _MARKDOWN.sub(r"\\\1", str(text))
