"""cadence: a real-time running cadence coach.

The package is split so the decisions can be tested without hardware:
``coach``, ``profile``, ``sim`` and ``sensors.gatt`` are pure (no I/O); ``audio``,
``sensors.ble``, ``store`` and ``tui`` are the imperative shell around them.
"""

__version__ = "0.1.0"
