import sys

from pustaka.cli import main

sys.exit(main())
