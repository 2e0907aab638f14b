"""Screens for where things stand: 测评进度 (the tree) and 本支部工作进度 (one branch's six steps)."""
