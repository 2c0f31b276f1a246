"""Receivers of other modules' topics for CRM (none yet)."""
