"""The product's use cases; never imports streamlit or starlette."""
