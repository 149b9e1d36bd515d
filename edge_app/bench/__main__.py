"""`python -m edge_app.bench`: the same as `digits-bench`."""

import sys

from edge_app.bench import main

if __name__ == "__main__":
    sys.exit(main())
