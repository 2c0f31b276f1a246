"""Receivers of other modules' topics for MES (none yet)."""
