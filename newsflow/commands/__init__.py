"""One module per `newsflow` command; each exposes `register(subcommands)`."""
