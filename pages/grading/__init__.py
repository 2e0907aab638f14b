"""Screens for results, final grades, approval and feedback handouts: 评议结果 and its parts."""
