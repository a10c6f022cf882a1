"""One module per ``cadence`` subcommand: ``add_arguments(parser)`` and ``run(args)``.

Keep module-level imports to the standard library so ``cadence --help`` is fast.
"""
