"""``python -m deskapp``: the same as the ``deskapp`` command."""

from deskapp.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
