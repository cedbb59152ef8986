"""Build the four distributions and try them as a user would, away from this repository.

    python devtools/check_packaging.py        (``./dev packaging`` runs it; so does CI)

Builds each package's sdist and, from that sdist, its wheel; checks that each ships exactly
its package's files with the license and the one version; installs the wheels (not
editable) into a fresh venv, one service first as the README tells; imports every public
module and name; runs samples/quickstart.py against an Azurite it starts. Needs ``build``
and setuptools (requirements.txt), and the package index for the runtime dependencies.
"""
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ('common', 'blob', 'queue', 'table')
# Files of an sdist beside the package tree: what setuptools writes and what pyproject names.
SDIST_EXTRAS = {'LICENSE', 'PKG-INFO', 'README.md', 'pyproject.toml', 'setup.cfg'}

# Run by the fresh venv's interpreter: every public module of the installed packages, and
# every name their __all__ promises, must import from site-packages.
IMPORT_EVERYTHING = '''
import importlib, pkgutil, sys, sysconfig
site = sysconfig.get_paths()["purelib"]
count = 0
for package in sys.argv[1:]:
    root = importlib.import_module("azure.storage." + package)
    modules = [root] + [importlib.import_module(info.name)
                        for info in pkgutil.walk_packages(root.__path__, root.__name__ + ".")
                        if not any(part.startswith("_") for part in info.name.split("."))]
    for module in modules:
        assert module.__file__.startswith(site), module.__file__
        names = getattr(module, "__all__", None) or [
            name for name, value in vars(module).items()
            if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__]
        for name in names:
            getattr(module, name)
            count += 1
print("imported", count, "public names")
'''


def run(*args, cwd=None):
    print('$', ' '.join(str(arg) for arg in args).splitlines()[0], flush=True)
    return subprocess.run([str(arg) for arg in args], cwd=cwd, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True).stdout


def source_version(package):
    namespace = {}
    constants = ROOT / 'azure-storage-{}'.format(package) / 'azure' / 'storage' / package / '_constants.py'
    exec(compile(constants.read_text(), str(constants), 'exec'), namespace)
    return namespace['__version__']


def source_files(package):
    """The package's tracked files, relative to its distribution directory."""
    directory = 'azure-storage-{}'.format(package)
    listed = run('git', 'ls-files', 'azure', cwd=ROOT / directory).split()
    return {name for name in listed if not name.endswith('.pyc')}


def check_wheel(wheel, package, version):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = 'aio_azure_storage_{}-{}.dist-info/'.format(package, version)
        shipped = {name for name in names if not name.startswith(dist_info)}
        assert shipped == source_files(package), sorted(shipped ^ source_files(package))
        assert archive.read(dist_info + 'licenses/LICENSE') == (ROOT / 'LICENSE').read_bytes()
        metadata = archive.read(dist_info + 'METADATA').decode()
    assert 'Version: {}\n'.format(version) in metadata
    assert 'License-Expression: MIT\n' in metadata
    assert 'Classifier: Typing :: Typed\n' in metadata


def check_sdist(sdist, package, version):
    top = 'aio_azure_storage_{}-{}/'.format(package, version)
    with tarfile.open(sdist) as archive:
        names = {member.name[len(top):] for member in archive.getmembers() if member.isfile()}
        license_text = archive.extractfile(top + 'LICENSE').read()
    egg_info = 'aio_azure_storage_{}.egg-info/'.format(package)
    shipped = {name for name in names if not name.startswith(egg_info)} - SDIST_EXTRAS
    assert shipped == source_files(package), sorted(shipped ^ source_files(package))
    assert license_text == (ROOT / 'LICENSE').read_bytes()


def build(out):
    for package in PACKAGES:
        directory = ROOT / 'azure-storage-{}'.format(package)
        assert (directory / 'LICENSE').read_bytes() == (ROOT / 'LICENSE').read_bytes(), directory
        # Without build isolation: the venv's setuptools (requirements.txt) builds all eight,
        # instead of a new venv for each; `./dev` builds them isolated, as pip does.
        run(sys.executable, '-m', 'build', '--no-isolation', '--outdir', out, directory)
    wheels, sdists = {}, {}
    for package in PACKAGES:
        version = source_version(package)
        stem = 'aio_azure_storage_{}-{}'.format(package, version)
        wheels[package] = out / '{}-py3-none-any.whl'.format(stem)
        sdists[package] = out / '{}.tar.gz'.format(stem)
        check_wheel(wheels[package], package, version)
        check_sdist(sdists[package], package, version)
    built = set(out.iterdir())
    assert built == set(wheels.values()) | set(sdists.values()), sorted(map(str, built))
    return wheels


def try_in_fresh_venv(wheels, workdir):
    venv = workdir / 'venv'
    # Without a pip of its own (ensurepip takes ten seconds): this venv's pip installs into it.
    run(sys.executable, '-m', 'venv', '--without-pip', venv)
    python = venv / 'bin' / 'python'
    pip = (sys.executable, '-m', 'pip', '--python', python)
    # The README's way to install one service: its wheel and common's (blob with its fsspec
    # extra, which the fsspec_filesystem module needs; the entry point must find it).
    run(*pip, 'install', wheels['common'], '{}[fsspec]'.format(wheels['blob']))
    run(python, '-c', IMPORT_EVERYTHING, 'common', 'blob', cwd=workdir)
    run(python, '-c', "import fsspec; assert fsspec.get_filesystem_class('aioblob').__name__ == 'BlobFileSystem'",
        cwd=workdir)
    run(*pip, 'install', wheels['queue'], wheels['table'])
    run(*pip, 'check')
    print(run(python, '-c', IMPORT_EVERYTHING, *PACKAGES, cwd=workdir).strip())
    output = run(python, ROOT / 'samples' / 'quickstart.py', cwd=workdir)
    print(output.strip())
    assert output.rstrip().endswith('done.'), output


def main():
    with tempfile.TemporaryDirectory(prefix='aio-azure-storage-packaging-') as tmp:
        workdir = Path(tmp)
        out = workdir / 'dist'
        wheels = build(out)
        try_in_fresh_venv(wheels, workdir)
    print('packaging: ok')


if __name__ == '__main__':
    try:
        main()
    except subprocess.CalledProcessError as ex:
        sys.exit('failed: {}\n{}'.format(' '.join(map(str, ex.cmd)), ex.stdout))
