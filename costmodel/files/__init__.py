"""Reading and writing scenario files: TOML with located errors, layering, presets and catalogs, batch discovery."""
