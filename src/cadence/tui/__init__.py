"""The Textual app for live treadmill sessions."""
