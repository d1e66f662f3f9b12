"""Output formats: tables, JSON, CSV, Markdown and the renderers every command shares."""
