"""A scalar autograd engine and a small neural network library, built step by step."""

__version__ = "0.1.0"
