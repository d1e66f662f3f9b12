"""Modal screens of the terminal UI: pick a field or file, confirm, explain, analyse."""
