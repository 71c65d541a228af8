"""The trust stage: OpenSSH signatures, signing, verification, the release history and bundles."""
