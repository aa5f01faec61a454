"""Errors a user can cause and fix.

The command line prints an :class:`MfdnnError` as one line on stderr and exits with its
``exit_code`` (2 for bad input), never with a traceback. Anything else is a bug.
"""


class MfdnnError(Exception):
    """A problem the user can fix (bad name, bad value, missing or corrupt file)."""

    exit_code = 2


class ConfigError(MfdnnError):
    """An unknown experiment, profile or config key, or a value of the wrong type."""


class DataError(MfdnnError):
    """A data set that cannot be found, or a file that fails its checksum or format check."""


class TrainingDiverged(MfdnnError):
    """The loss became NaN or infinite; the message names the step."""

    exit_code = 3
