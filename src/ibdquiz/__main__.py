"""Allow ``python -m ibdquiz``."""

from ibdquiz.cli import main

if __name__ == "__main__":
    main()
