"""The editor's widgets: the text view, the problems list and the two parts of the form."""
