"""`newsflow serve`: run `build_corpus` on the config's schedule over inbox directories."""

import argparse
import os

from newsflow.commands.common import add_command, settings_of
from newsflow.commands.run import prepare_prefect_env
from newsflow.settings import PROJECT_DIR


def serve(args: argparse.Namespace) -> int:
    from newsflow.preflight import check_run_inputs

    check_run_inputs(args.inboxes, args.config, args.languages)  # before Prefect starts serving
    prepare_prefect_env()
    # runs start in subprocesses that import flows.build_corpus: make the project importable there
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))
    from flows.serve import deployment_parameters, inbox_deployment, serve_inboxes

    settings = settings_of(args)
    parameters = deployment_parameters(settings, args.inboxes, args.db, args.config, args.languages or ())
    deployment = inbox_deployment(settings, parameters, args.name)
    schedule = settings.schedule
    when = f"cron {schedule.cron!r}" if schedule.cron.strip() else f"every {schedule.interval_seconds} s"
    print(
        f"serving deployment build_corpus/{deployment.name}: {when} ({schedule.timezone}) over "
        f"{', '.join(deployment.parameters['paths'])} into {deployment.parameters['db']}; stop with Ctrl-C or SIGTERM",
        flush=True,
    )
    serve_inboxes(deployment)
    print("newsflow serve: stopped (the schedule is paused until the next `newsflow serve`)", flush=True)
    return 0


def register(subcommands) -> None:
    command = add_command(
        subcommands, "serve", serve, "serve the flow on the config's schedule ([schedule]) over inbox directories"
    )
    command.add_argument("inboxes", nargs="*", metavar="INBOX", help="directories to watch (default: input.paths)")
    command.add_argument("--name", help="deployment name (default: schedule.deployment)")
    command.add_argument(
        "--language", dest="languages", action="append", metavar="CODE",
        help="process only this language (repeat for more; default: language.languages)",
    )  # fmt: skip
