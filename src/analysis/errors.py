"""Errors meant for people, not tracebacks.

Every problem with a user's input is raised as an ``AnalysisError`` whose message is one line
naming the file (and row or line where there is one) and what to do about it. The CLI prints the
message and exits with status 2; notebooks show it as the exception text.
"""


class AnalysisError(Exception):
    """A problem with the user's input or setup, explained in one line."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))
