"""What ``deskapp`` returns to the shell, so scripts can tell outcomes apart."""

OK = 0
ERROR = 1  # something a person can act on; the message on stderr says what
USAGE = 2  # the command line itself was wrong (argparse's convention)
UPGRADE_NEEDED = 3  # `deskapp db current`: the workspace is older than this Deskapp
AUDIT_BROKEN = 4  # `deskapp audit verify`: an audit chain is broken (first link printed)
INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT
