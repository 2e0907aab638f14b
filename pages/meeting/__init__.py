"""Screens for the branch's records around the meeting: 集中学习, 谈心谈话, 问题清单, 组织生活会记录, 整改落实."""
