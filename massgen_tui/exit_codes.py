"""Process exit codes, shared by the headless runner and the app, and the one way a command reports bad usage."""

import sys

OK = 0
CONFIG_ERROR = 2
ALL_AGENTS_FAILED = 3
TIMEOUT_NO_ANSWER = 4
INTERRUPTED = 130


def usage_error(prog: str, message: str) -> int:
    """Print ``prog: error: message`` on stderr (as argparse does) and return :data:`CONFIG_ERROR`."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    return CONFIG_ERROR
