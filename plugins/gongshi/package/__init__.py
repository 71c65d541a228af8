"""The package stage: find county packages, open them safely, read and repair their tables."""
