"""Audio: pure click rendering and scheduling, and the PortAudio stream around it."""
