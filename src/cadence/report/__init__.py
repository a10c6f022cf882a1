"""What a recorded session means: summary, history and the one timeline.

Pure: every function takes session data and returns figures or text. Nothing
here opens a database or a file.
"""
