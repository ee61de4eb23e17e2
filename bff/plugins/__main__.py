"""`python -m bff.plugins install <folder|zip>` / `remove <id> <version>` / `list`: see
bff/plugins/cli.py."""

import sys

from bff.plugins.cli import main

sys.exit(main())
