"""The annotations of the blob package: complete, resolvable at runtime, and shipped (PEP 561)."""
import inspect
import sys
import typing
from pathlib import Path
from typing import Any, Union

import pytest

import azure.storage.blob as blob_package
from azure.storage.blob import (
    AppendBlobService,
    Blob,
    BlobPermissions,
    BlobPrefix,
    BlockBlobService,
    Container,
    ContainerPermissions,
    Include,
    PageBlobService,
    models,
)
from azure.storage.blob.baseblobservice import BaseBlobService
from azure.storage.blob.sharedaccesssignature import BlobSharedAccessSignature
from azure.storage.common.models import ListOperation

SERVICES = [BaseBlobService, BlockBlobService, PageBlobService, AppendBlobService, BlobSharedAccessSignature]


def _public_functions(cls):
    for name, member in vars(cls).items():
        if inspect.isfunction(member) and (not name.startswith('_') or name == '__init__'):
            yield name, member


MODELS = [cls for name, cls in vars(models).items()
          if inspect.isclass(cls) and cls.__module__ == models.__name__ and not name.startswith('_')]


@pytest.mark.parametrize('cls', [cls for cls in SERVICES + MODELS if any(_public_functions(cls))],
                         ids=lambda cls: cls.__name__)
def test_every_public_method_is_fully_annotated_and_resolves(cls):
    for name, function in _public_functions(cls):
        hints = typing.get_type_hints(function)
        params = [p for p in inspect.signature(function).parameters.values() if p.name != 'self']
        missing = [p.name for p in params if p.name not in hints]
        assert not missing, '{}.{}: {}'.format(cls.__name__, name, missing)
        assert 'return' in hints, '{}.{} has no return annotation'.format(cls.__name__, name)


@pytest.mark.parametrize('cls', [cls for cls in MODELS if '__init__' in vars(cls)], ids=lambda cls: cls.__name__)
def test_every_model_attribute_is_declared_on_its_class(cls):
    required = [p for p in inspect.signature(cls).parameters.values() if p.default is p.empty]
    instance = cls(*[None] * len(required))
    hints = typing.get_type_hints(cls)
    assert vars(instance)
    assert sorted(set(vars(instance)) - set(hints)) == []


def test_encryption_settings_of_a_service_are_declared():
    # Set to None in __init__: without a declaration a type checker would refuse any key.
    hints = typing.get_type_hints(BlockBlobService)
    assert hints['require_encryption'] is bool
    assert hints['key_encryption_key'] is Any
    assert hints['key_resolver_function'] == typing.Optional[typing.Callable[[str], Any]]


def test_listings_are_typed_by_their_models():
    assert typing.get_type_hints(BaseBlobService.list_containers)['return'] == ListOperation[Container]
    assert typing.get_type_hints(BaseBlobService.list_blob_names)['return'] == ListOperation[str]


@pytest.mark.skipif(sys.version_info < (3, 11), reason='typing.get_overloads is new in 3.11')
def test_list_blobs_yields_blob_prefixes_only_with_a_delimiter():
    overloads = typing.get_overloads(BaseBlobService.list_blobs)
    by_delimiter = {typing.get_type_hints(o)['delimiter']: typing.get_type_hints(o)['return'] for o in overloads}
    assert by_delimiter == {type(None): ListOperation[Blob], str: ListOperation[Union[Blob, BlobPrefix]]}
    assert typing.get_type_hints(BaseBlobService.list_blobs)['return'] == ListOperation[Any]


@pytest.mark.parametrize('cls, constants', [
    (Include, ['COPY', 'METADATA', 'SNAPSHOTS', 'UNCOMMITTED_BLOBS', 'DELETED']),
    (BlobPermissions, ['ADD', 'CREATE', 'DELETE', 'READ', 'WRITE']),
    (ContainerPermissions, ['DELETE', 'LIST', 'READ', 'WRITE', 'ADD', 'CREATE']),
], ids=lambda value: getattr(value, '__name__', None))
def test_flag_constants_are_declared_and_still_instances(cls, constants):
    hints = typing.get_type_hints(cls)
    for constant in constants:
        assert hints[constant] == typing.ClassVar[cls]
        assert isinstance(getattr(cls, constant), cls)
    assert str(BlobPermissions.READ | BlobPermissions.WRITE) == 'rw'
    assert ContainerPermissions.LIST + 'r' == ContainerPermissions(read=True, list=True)
    assert str(Include.METADATA | Include.SNAPSHOTS) == 'snapshots,metadata'


def test_py_typed_marker_ships_with_the_package():
    package_dir = Path(blob_package.__file__).parent
    assert (package_dir / 'py.typed').is_file()
    pyproject = (package_dir.parents[2] / 'pyproject.toml').read_text()
    assert '"azure.storage.blob" = ["py.typed"]' in pyproject
