"""The bleak connection layer: scanning, connecting, subscribing and reconnecting."""
