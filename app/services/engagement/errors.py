"""Typed errors with messages a consultant can act on. The CLI prints them and exits 2;
the window shows them in a message box. Anything else escaping a service is a bug."""

from __future__ import annotations


class AimsError(Exception):
    """Base of every expected failure: bad input, a bad file, a refused action."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FileMissingError(AimsError):
    pass


class NotAnEngagementError(AimsError):
    pass


class DamagedFileError(AimsError):
    pass


class SchemaTooNewError(AimsError):
    pass


class UnreadableValueError(DamagedFileError):
    """The file holds a stored value this version cannot read (a date that is no date, text
    that is not UTF-8): named in the message, and the file left as it is."""


class ForeignJournalError(AimsError):
    """An unfinished save beside the file that belongs to another file."""


class ReadOnlyError(AimsError):
    pass


class FileWriteError(AimsError):
    pass


class CatalogError(AimsError):
    pass


class FieldError(AimsError):
    """A value refused at one field; `field` names it so a form can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class RuleError(FieldError):
    """A set of values refused by a rule across fields (a pair rated together, a date that
    needs a name): `field` is the one to fix, `fields` every field the rule reads. A form holds
    such an edit until the user has filled the rest of the set, then saves them together."""

    def __init__(self, field: str, message: str, fields: tuple[str, ...]) -> None:
        super().__init__(field, message)
        self.fields = fields


class WorkbookError(AimsError):
    """A workbook that cannot be imported as a whole: what it is, and what to do about it."""
