"""Version numbers of the table package and of the REST API it speaks."""

__author__ = 'aio-azure-storage contributors'
#: The version of this distribution (pyproject.toml reads it from here).
__version__ = '2.1.0'

# The x-ms-version sent with every table request and signed into table SAS tokens: the
# version the legacy table client spoke, whose JSON and batch formats this package writes.
X_MS_VERSION = '2017-04-17'

# OData protocol versions of the JSON payloads.
DATA_SERVICE_VERSION = '3.0;NetFx'
MAX_DATA_SERVICE_VERSION = '3.0'

# The properties client-side encryption adds to an entity: the encryption data (JSON), and
# the encrypted list of the names of the encrypted properties.
ENCRYPTION_DATA_PROPERTY = '_ClientEncryptionMetadata1'
ENCRYPTED_NAMES_PROPERTY = '_ClientEncryptionMetadata2'
ENCRYPTION_METADATA_PROPERTIES = (ENCRYPTION_DATA_PROPERTY, ENCRYPTED_NAMES_PROPERTY)
