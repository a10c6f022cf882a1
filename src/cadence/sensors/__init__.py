"""Sensors: where readings come from.

``gatt/`` holds the pure parsers (bytes in, dataclasses out), ``ble/`` the
bleak connection layer, ``bumble/`` the emulated peripherals that ``cadence
demo`` and the tests connect to, and ``source.py`` the one interface the live
session reads from.
"""
