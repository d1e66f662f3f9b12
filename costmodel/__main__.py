"""`python -m costmodel` runs the command line."""

from costmodel.cli.main import main

raise SystemExit(main())
