"""``python -m wallet``: the same as the ``plecak`` command."""

import sys

from wallet.cli import main

sys.exit(main())
