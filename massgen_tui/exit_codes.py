"""Process exit codes, shared by the headless runner and the app, and the one way a command reports bad usage."""

import sys

from massgen_tui.events.types import TURN_COMPLETED, TURN_FAILED, TURN_TIMEOUT

OK = 0
CONFIG_ERROR = 2
ALL_AGENTS_FAILED = 3
TIMEOUT_NO_ANSWER = 4
INTERRUPTED = 130


def for_turn(status: str, final_answer: str) -> int:
    """The exit code of a session whose last turn ended with ``status`` (a coordinator turn status)."""
    if status == TURN_COMPLETED or status == TURN_TIMEOUT and final_answer:
        return OK
    if status == TURN_FAILED:
        return ALL_AGENTS_FAILED
    if status == TURN_TIMEOUT:
        return TIMEOUT_NO_ANSWER
    return INTERRUPTED


def usage_error(prog: str, message: str) -> int:
    """Print ``prog: error: message`` on stderr (as argparse does) and return :data:`CONFIG_ERROR`."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    return CONFIG_ERROR
