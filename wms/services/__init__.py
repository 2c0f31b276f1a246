"""WMS services: the only code that changes WMS state, each in one transaction."""
