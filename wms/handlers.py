"""Receivers of other modules' topics for WMS (none yet)."""
