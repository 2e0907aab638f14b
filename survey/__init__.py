"""The form-survey service: light HTML pages for members on their phones."""

from survey.routes import routes

__all__ = ["routes"]
