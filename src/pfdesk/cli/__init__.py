"""Command-line subcommands, one module per area."""
