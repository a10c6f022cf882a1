"""Writing a recorded session as FIT, TCX, CSV or PNG for other tools to read.

``formats`` lists the formats (the CLI, the TUI and the live app read it);
``common`` merges the sensors onto one track and cuts it into laps from the
session timeline (``report.session_timeline``); ``coach_track`` says what the
coach knew at each moment; ``energy`` the strides, step length and calories;
``session_context`` the UTC offset and body mass recorded at the start;
``files`` writes safely. One module per format: ``fit`` (with
``fit_messages``), ``tcx``, ``csv``, ``png``.
"""
