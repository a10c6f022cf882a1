"""Allow ``python -m cadence``."""

from cadence.cli import main

raise SystemExit(main())
