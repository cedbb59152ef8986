"""Version numbers of the queue package and of the REST API it speaks."""

__author__ = 'aio-azure-storage contributors'
#: The version of this distribution (pyproject.toml reads it from here).
__version__ = '2.1.0'

# The x-ms-version sent with every queue request.
X_MS_VERSION = '2019-02-02'
