import sys

from fonds.cli import main

sys.exit(main())
