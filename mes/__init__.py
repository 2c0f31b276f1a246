"""Manufacturing execution (MES) module."""
