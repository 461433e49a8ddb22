"""The matrix's scenarios: for each URL (and each file format of an export), how to put an
object in the state where the action is possible, a valid POST, and what the POST changes.

A scenario names the ability (tests/matrix/rules.py) needed to open the page (``get``) and to
post to it (``post``); None means the method is not offered (405 for everyone logged in).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PUBLIC = "public"  # anyone, logged in or not
LOGGED_IN = "logged_in"  # anyone with an account


def nothing() -> None:
    return None


@dataclass
class Cell:
    """One prepared state: URL arguments, the POST that would carry the action out, and what it changes."""

    kwargs: dict = field(default_factory=dict)
    payload: dict = field(default_factory=dict)
    observe: Callable[[], Any] = nothing
    query: str = ""
    # Run with the logged-in client just before the POST, e.g. the upload a confirmation needs.
    before_post: Callable[[Any], None] | None = None
    files: dict = field(default_factory=dict)  # name -> (filename, bytes), sent with the POST


@dataclass(frozen=True)
class Scenario:
    name: str
    get: str | None
    post: str | None
    prepare: Callable[..., Cell]
    # The object is chosen in the form, not in the URL: whoever may do it somewhere opens the form,
    # and a POST on somebody else's object gets the form back (200/400) with nothing changed.
    form_chooses_object: bool = False
    get_ok: tuple[int, ...] = (200,)
    post_ok: tuple[int, ...] = (302,)
    # An upload's first step only shows what would change (a dry run): nothing changes yet.
    post_changes: bool = True
    variant: str = ""
    # Pages outside the deal's roles (one's own account): {"anonymous"|"logged_in": (GET, POST)}.
    fixed: dict | None = None

    @property
    def key(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, *, get: str | None, post: str | None = None, **options):
    """Register the decorated prepare(deal, personas) -> Cell for the URL ``name``."""

    def register(prepare):
        entry = Scenario(name=name, get=get, post=post, prepare=prepare, **options)
        assert entry.key not in SCENARIOS, f"{entry.key} twee keer in de matrix"
        SCENARIOS[entry.key] = entry
        return prepare

    return register


def read_page(name: str, ability: str, *, kwargs: Callable[..., dict] | None = None, **options) -> None:
    """A page that is only read: GET for ``ability``, POST 405."""

    def prepare(deal, personas):
        return Cell(kwargs=kwargs(deal, personas) if kwargs else {})

    scenario(name, get=ability, post=None, **options)(prepare)
