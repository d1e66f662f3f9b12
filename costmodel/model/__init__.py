"""The pure model: schema, strategies and cost lines, the engine. No I/O, no rich, no Textual."""
