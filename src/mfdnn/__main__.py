"""``python -m mfdnn`` is the same as the ``mfdnn`` command."""

from mfdnn.cli.main import main

raise SystemExit(main())
