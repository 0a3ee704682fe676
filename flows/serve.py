"""Serving `build_corpus` on the schedule from the config, over one or more inboxes.

`newsflow serve` (and `prefect.yaml`, for work pools) declare the same
deployment: the flow with its typed parameters (paths, db, config, languages)
filled in, the `[schedule]` of the config (cron or interval, in a time zone),
and a deployment concurrency limit of one run at a time (a run that comes due
while the previous one is still going waits in the queue, visible in the UI).
Each run reads only new or changed files: the warehouse's ledger skips the rest.
Runs of the deployment start in a subprocess importing `flows.build_corpus`.
"""

from collections.abc import Sequence
from pathlib import Path

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron, Interval, Schedule

from flows.build_corpus import build_corpus, resolve_db
from newsflow.errors import ConfigError
from newsflow.settings import ScheduleSettings, Settings

TAGS = ("newsflow",)


def schedule_of(schedule: ScheduleSettings) -> Schedule:
    """The Prefect schedule for `[schedule]`: cron or interval, in its time zone."""
    try:
        if schedule.cron.strip():
            return Cron(schedule.cron, timezone=schedule.timezone)
        return Interval(schedule.interval_seconds, timezone=schedule.timezone)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise ConfigError(
            f"invalid schedule {schedule.cron or schedule.interval_seconds!r}: {error}",
            fix='use a five-field cron expression such as "0 * * * *" (see `man 5 crontab`)',
        ) from None


def deployment_parameters(
    settings: Settings,
    paths: Sequence[str] = (),
    db: str | None = None,
    config: str | None = None,
    languages: Sequence[str] = (),
) -> dict:
    """Flow parameters with absolute paths, so runs find their inputs from any directory."""
    inboxes = [str(Path(p).expanduser().resolve()) for p in (paths or settings.input.paths)]
    return {
        "paths": inboxes,
        "db": str(resolve_db(settings, db)),
        "config": str(Path(config).expanduser().resolve()) if config else None,
        "languages": list(languages) or None,
    }


def inbox_deployment(settings: Settings, parameters: dict | None = None, name: str | None = None) -> RunnerDeployment:
    """The served deployment of `build_corpus` (not yet registered); parameters from `deployment_parameters`."""
    return build_corpus.to_deployment(
        name=name or settings.schedule.deployment,
        schedules=[schedule_of(settings.schedule)],
        parameters=parameters if parameters is not None else deployment_parameters(settings),
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        tags=list(TAGS),
        description="newsflow: new and changed article files of the inboxes into the DuckDB warehouse.",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_inboxes(deployment: RunnerDeployment) -> None:
    """Register the deployment and run its scheduled runs until SIGTERM or Ctrl-C (pauses the schedule)."""
    from prefect import serve

    serve(deployment, limit=1, pause_on_shutdown=True)
