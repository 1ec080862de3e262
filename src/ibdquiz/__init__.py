"""ibdquiz: spaced-repetition study of the IBD literature in the terminal."""

__version__ = "0.1.0"
