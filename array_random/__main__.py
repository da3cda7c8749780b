"""``python -m array_random``: the ``array-random`` command (compare, info)."""
import sys

from .cli import main

sys.exit(main())
