"""Warehouse management (WMS) module."""
