"""``python -m massgen_tui``."""

from massgen_tui.commands import main

raise SystemExit(main())
