"""Platform (floor 1): the plumbing every use case stands on — the one database engine and its sessions, reads of
many branches at once (batch.py), settings and server secrets, the clock, the error types with their Chinese
messages, what a failing database means (full disk, out of reach, a dead pooled connection), backups, liveness,
the address links point at, and the checks on text people type or import. Imports no other package of services/.
"""
