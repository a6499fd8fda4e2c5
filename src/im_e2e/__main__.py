"""`python -m im_e2e` is the `im-e2e` command."""
from .cli import main

raise SystemExit(main())
