"""People available to sit on a jury, offered to staff where they compose juries.

The jury screens belong to early stages (`challenges` for the call for projects,
`applications` for the interviews), while the people who say they are available
live in later ones (`cohorts`: the alumni's profiles). Imports go one way, so a
later stage registers a provider here from its `AppConfig.ready()`, and the jury
screens render what the registry gives, without knowing where it comes from.
"""

from dataclasses import dataclass, field

_providers = []


@dataclass(frozen=True)
class AvailablePerson:
    name: str
    email: str = ""
    why: str = ""  # what makes them a juror: "alumni EIG 4 (Data scientist)…"
    detail: str = ""  # their current position, in their words
    skills: tuple = field(default_factory=tuple)
    link: str = ""  # where staff read or change their profile


def register(provider):
    """`provider()` returns a list of AvailablePerson, in a constant number of queries."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def available_for_jury():
    """Everyone a registered stage says is available for a jury, by name."""
    people = [person for provider in _providers for person in provider()]
    return sorted(people, key=lambda person: (person.name.casefold(), person.email))
