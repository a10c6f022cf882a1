"""Sensors: pure GATT parsers, the bleak connection layer and virtual peripherals."""
