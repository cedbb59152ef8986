"""azure.storage.queue: placeholder until the service lands."""
__version__ = "2.1.0"
