"""The Generator's public methods, grouped by kind; each is a thin door onto ``Generator._draw``."""
