import sys

from gkpub.cli.main import main

sys.exit(main())
