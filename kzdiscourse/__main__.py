import sys

from kzdiscourse.cli import main

sys.exit(main())
