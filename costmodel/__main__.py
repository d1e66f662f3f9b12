"""`python -m costmodel` runs the command line."""

from costmodel.cli import main

raise SystemExit(main())
