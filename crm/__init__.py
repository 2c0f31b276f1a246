"""Customer relationships (CRM) module."""
