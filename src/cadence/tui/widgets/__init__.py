"""Widgets of the live screen. Each takes plain values (attributes down) and renders them."""
