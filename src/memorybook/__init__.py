"""memorybook: an archive of the NKVD mass operations of 1937-1938 and of the people they killed."""

__version__ = "0.1.0"
__all__ = ["__version__"]
