"""`python -m pipeline` runs the `bulletins` command line."""

import sys

from pipeline.cli import main

sys.exit(main())
