"""Build the site in this directory: the same as `gkpub build` (arguments pass through)."""
import sys

from gkpub.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
