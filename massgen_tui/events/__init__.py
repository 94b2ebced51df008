"""One typed stream of session events (``types``), and the bus that delivers it (``bus``)."""

from massgen_tui.events.bus import EventBus, Subscriber
from massgen_tui.events.types import EVENT_TYPES, SCHEMA_VERSION, Event, event_from_dict

__all__ = ["EventBus", "Subscriber", "Event", "EVENT_TYPES", "SCHEMA_VERSION", "event_from_dict"]
