"""Receivers of the front modules' topics for the ERP core (none yet)."""
