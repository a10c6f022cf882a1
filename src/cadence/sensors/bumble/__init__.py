"""A bleak backend on Google's Bumble and the virtual peripherals it talks to.

Runtime code, not test code: ``cadence demo`` drives the production bleak layer
against these emulated sensors when there is no hardware.
"""
