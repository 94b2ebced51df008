"""Process exit codes, shared by the headless runner and the app."""

OK = 0
CONFIG_ERROR = 2
ALL_AGENTS_FAILED = 3
TIMEOUT_NO_ANSWER = 4
INTERRUPTED = 130
