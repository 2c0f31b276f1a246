"""Shared kernel: domain errors and small helpers every app may use. Imports no app."""
