"""One module per `bulletins` subcommand: each has `add_parser(sub)` and `run(args) -> int`.

Only these modules and `pipeline.cli` read arguments or print.
"""
