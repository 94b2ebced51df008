"""The session as the user sees it, built from events: read by the app, replay and exports, free of any widget."""
