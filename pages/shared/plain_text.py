"""Text people typed (names, unit names, titles, file names), made safe to place in Streamlit's markdown:
shown as the characters typed, never as a link, an image, bold, a list or a colour directive.

Streamlit reads markdown in st.markdown/st.write/st.caption/st.title/st.subheader, the alerts and st.toast,
image captions, metric labels and values, expander and tab labels, every widget's label, and the options of
st.radio, st.select_slider and st.pills; it does not in st.text, st.code, table cells, or the options of
st.selectbox and st.multiselect (there an escape would show as a backslash)."""

import html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:^=])")
# GitHub-flavoured markdown also turns a bare web address into a link, after escapes are undone ("http\://x\.cn"
# is "http://x.cn" again), so an invisible word joiner breaks "://" and "www.". It shows as nothing; copied, it
# is one invisible character more. An e-mail address is left to become a mailto: link showing that address
# (a user name may be one, and is copied to log in).
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)


def plain(text: object) -> str:
    """`text` for a place Streamlit reads as markdown."""
    return plain_address(_AUTOLINK.sub(_JOINER, str(text)))


def plain_address(url: object) -> str:
    """An address the app made (a voter's link), escaped the same way but left to become a link to itself,
    to be clicked or copied whole."""
    return _MARKDOWN.sub(r"\\\1", str(url))


def plain_html(text: object) -> str:
    """`text` for HTML that Streamlit reads as markdown too (st.markdown with unsafe_allow_html): escaped for
    HTML, and each markdown character written as a character reference, so it is text in either reading."""
    broken = _AUTOLINK.sub(_JOINER, str(text))
    return "".join(f"&#{ord(c)};" if _MARKDOWN.fullmatch(c) else html.escape(c) for c in broken)
