"""``python -m benchmarks``: the same as ``scripts/bench``."""

import sys

from .runner import main

sys.exit(main())
