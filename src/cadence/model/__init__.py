"""Plain records every layer shares: a sensor sample, a link status, a stored session.

They live here, below everything else, so that the coach, the store and the
screen can all speak of a ``Sample`` without importing the Bluetooth layer that
produces one. This package imports nothing else of cadence.
"""
