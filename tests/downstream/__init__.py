"""A downstream package as it would use array_random.testing (see test_shear.py)."""
