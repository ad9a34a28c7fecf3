"""Errors that stop a command, shared by every step (so no step imports another step, or the CLI, for them)."""


class BuildError(Exception):
    """A build step failed; the message is for the person running the build (Dutch)."""
