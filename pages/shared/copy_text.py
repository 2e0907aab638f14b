"""A text to send on (a reminder), with a 复制 button a thumb can tap: st.code's own button shows only on
hover, which a touch screen does not have, and the clipboard API is refused on a plain-http LAN address."""

import html
import itertools

import streamlit as st

_ids = itertools.count()
_BOX = """<div class="copy-text" style="border:1px solid #ddd;border-radius:8px;padding:12px 14px">
<p id="{id}" style="white-space:pre-wrap;margin:0 0 10px">{text}</p>
<button type="button" id="{id}-button" style="font-size:16px;padding:8px 18px;border-radius:6px;
border:1px solid #b71c1c;background:#fff;color:#b71c1c">复制</button></div>
<script>
(() => {{
  const button = document.getElementById("{id}-button");
  if (!button || button.dataset.ready) return;
  button.dataset.ready = "1";
  button.addEventListener("click", () => {{
    const text = document.getElementById("{id}").textContent;
    const done = () => {{ button.textContent = "已复制"; }};
    const fallback = () => {{  // plain http on a LAN address: no clipboard API, but a selection still copies
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      area.setSelectionRange(0, text.length);
      try {{ document.execCommand("copy") ? done() : (button.textContent = "请长按文字复制"); }}
      catch (e) {{ button.textContent = "请长按文字复制"; }}
      area.remove();
    }};
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }});
}})();
</script>"""


def copy_text(text: str) -> None:
    box = f"copy-{next(_ids)}"
    st.html(_BOX.format(id=box, text=html.escape(text)), unsafe_allow_javascript=True)
