"""The scheduling core: plain Python over dataclasses, no ORM (services load and save)."""
