"""The app's data: a session as the user sees it, built from events, free of any widget."""
