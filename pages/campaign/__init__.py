"""Screens for the campaign and its roster: 首页, 党员花名册, 评议活动与花名册."""
