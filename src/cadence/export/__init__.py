"""Writing a recorded session as FIT, TCX, CSV or PNG for other tools to read."""
