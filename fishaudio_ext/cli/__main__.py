"""``python -m fishaudio_ext.cli``: the ``fishaudio`` command, where its script is not on PATH."""

import sys

from . import main

sys.exit(main())
