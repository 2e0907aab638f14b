"""Dashboard screens, in packages mirroring services/; each module only defines functions and runs nothing at
import (dashboard.py registers their render functions with st.Page)."""
