"""``python -m massgen_tui``."""

from massgen_tui.cli import main

raise SystemExit(main())
