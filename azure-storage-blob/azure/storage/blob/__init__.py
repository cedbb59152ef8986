"""azure.storage.blob: placeholder until the service lands."""
__version__ = "2.1.0"
