"""The Streamlit frame for staff: page config, navigation, shared sidebar."""

import streamlit as st

from pages import campaign_setup, home
from services import db

st.set_page_config(page_title="民主评议党员", page_icon=":material/how_to_vote:", layout="wide")
db.ensure_schema()

pages = [
    st.Page(home.render, title="首页", icon=":material/home:", url_path="home", default=True),
    st.Page(campaign_setup.render, title="评议活动与花名册", icon=":material/groups:", url_path="campaigns"),
]
navigation = st.navigation(pages)
st.sidebar.caption("民主评议党员 · 组织生活会")
navigation.run()
