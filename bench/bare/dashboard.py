"""The baseline app's dashboard script: nothing; only its survey route is measured."""

import streamlit as st

st.write("bench baseline")
