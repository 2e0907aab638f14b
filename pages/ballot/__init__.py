"""Screens for running the secret ballot: 组织测评, 未投票提醒, 会场大屏, 纸质票."""
