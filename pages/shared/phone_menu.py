"""On a phone the page menu covers the page; it folds away once a page is chosen, as a phone's menu does."""

import streamlit as st

# Run once per page shown (the page's address is in the script, so a new page is a new element): on a narrow
# screen, an open menu is closed. A wide screen keeps its sidebar as the user left it.
_CLOSE = """<script>/* {page} */
(() => {{
  if (window.innerWidth >= 768) return;
  const bar = document.querySelector('[data-testid="stSidebar"]');
  if (!bar || bar.dataset.collapsed === "true") return;
  const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button')
    || document.querySelector('[data-testid="stSidebarCollapseButton"]');
  if (close) close.click();
}})();
</script>"""


def fold_after_choice(page_path: str) -> None:
    st.sidebar.html(_CLOSE.format(page=page_path.replace("*/", "")), unsafe_allow_javascript=True)
