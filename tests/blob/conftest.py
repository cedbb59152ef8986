"""Fixtures of the blob tests: services with quick retries, a fresh container, SAS-only services,
and an Azurite of its own that takes bearer tokens over HTTPS."""
import datetime
import ipaddress
import subprocess
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from azure.storage.blob import BlockBlobService
from azure.storage.common._constants import DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME
from azure.storage.common.retry import no_retry

from azurite import ROOT, _wait_for, free_port
from testkit import KeyWrapper, fast_retry


@pytest.fixture
def make_service():
    """``make_service(**kwargs)``: a BlockBlobService that retries transport hiccups (Azurite
    drops idle connections) without the legacy 15 s waits. Close it (``async with``)."""
    def make(**kwargs):
        service = BlockBlobService(**kwargs)
        service.retry = fast_retry()
        return service
    return make


@pytest.fixture
async def service(make_service, connection_string):
    async with make_service(connection_string=connection_string) as blob_service:
        yield blob_service


@pytest.fixture
async def container(service, unique_name):
    """A container created for the test and deleted after it."""
    name = unique_name('c')
    await service.create_container(name, fail_on_exist=True)
    yield name
    await service.delete_container(name)


@pytest.fixture
def small_chunks():
    """``small_chunks(service)``: make a service upload and download in 64 KiB pieces."""
    def shrink(blob_service, put=256 * 1024, block=64 * 1024, get=128 * 1024, chunk=64 * 1024):
        blob_service.MAX_SINGLE_PUT_SIZE = put
        blob_service.MAX_BLOCK_SIZE = block
        blob_service.MAX_SINGLE_GET_SIZE = get
        blob_service.MAX_CHUNK_GET_SIZE = chunk
        return blob_service
    return shrink


@pytest.fixture
async def offline_service():
    """
    A service whose endpoint is a closed port and which never retries: validation errors
    must be raised before any request, and a request that does go out fails at once.
    """
    connection_string = (
        'DefaultEndpointsProtocol=http;AccountName={name};AccountKey={key};'
        'BlobEndpoint=http://127.0.0.1:{port}/{name}').format(name=DEV_ACCOUNT_NAME, key=DEV_ACCOUNT_KEY,
                                                              port=free_port())
    async with BlockBlobService(connection_string=connection_string) as blob_service:
        blob_service.retry = no_retry
        yield blob_service


@pytest.fixture
def key_wrapper():
    """``key_wrapper(kid, key=None)``: a key-encryption-key with that id (and a random key if none)."""
    return KeyWrapper


@pytest.fixture
def sas_service_for(make_service, service):
    """``sas_service_for(token)``: a BlockBlobService at the same endpoint that holds only ``token``
    (or no credential at all for None)."""
    def make(token):
        connection_string = 'BlobEndpoint={}://{}'.format(service.protocol, service.primary_endpoint)
        if token is not None:
            connection_string += ';SharedAccessSignature=' + token
        return make_service(connection_string=connection_string)
    return make


def _self_signed_certificate(folder):
    """A certificate and key for 127.0.0.1, valid for a day; returns their paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, '127.0.0.1')])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]),
                       critical=False)
        .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / 'cert.pem', folder / 'key.pem'
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture(scope='session')
def oauth_blob_endpoint(azurite, tmp_path_factory):
    """
    ``(endpoint, certificate path)`` of a blob-only Azurite that accepts bearer tokens (OAuth
    'basic': the token's claims are checked, not its signature) and so serves user delegation
    keys. It only speaks HTTPS, with a self-signed certificate for 127.0.0.1.
    """
    if azurite is None or azurite.process is None:
        pytest.skip('needs an Azurite started by this test session')
    folder = tmp_path_factory.mktemp('oauth-azurite')
    cert_path, key_path = _self_signed_certificate(folder)
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / 'node_modules' / '.bin' / 'azurite-blob'), '--disableTelemetry', '--inMemoryPersistence',
         '--silent', '--blobHost', '127.0.0.1', '--blobPort', str(port), '--oauth', 'basic', '--cert', cert_path,
         '--key', key_path],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(folder))
    try:
        if not _wait_for(port, time.monotonic() + 60, process):
            pytest.fail('the OAuth Azurite did not start')
        yield 'https://127.0.0.1:{}/{}'.format(port, DEV_ACCOUNT_NAME), cert_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
