"""The real app on a free port for end-to-end tests: the same helper the benchmarks use."""

from bench.app_server import fetch, free_port, running_app

__all__ = ["fetch", "free_port", "running_app"]
