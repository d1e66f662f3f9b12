"""One module per subcommand: each defines HELP, `add_arguments(parser)` and `run(args) -> int`."""

COMMANDS: tuple[str, ...] = (
    "estimate",
    "sensitivity",
    "solve",
    "batch",
    "sweep",
    "diff",
    "report",
    "presets",
    "pricing",
    "tui",
)
