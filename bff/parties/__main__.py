"""`python -m bff.parties new <id> ...`: see bff/parties/cli.py."""

import sys

from bff.parties.cli import main

sys.exit(main())
