"""The one base class of every refusal the services and selectors raise.

Views catch `ParIndexError` (or a subclass) and show `message`, a Vietnamese sentence that says
why, so a refusal never becomes a server error and never needs a view-specific translation."""


class ParIndexError(Exception):
    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message
