"""Helpers the tests import: plain modules, one concern each (conftest keeps the fixtures)."""
