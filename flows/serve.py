"""Serving `build_corpus` on the schedule from the config, over one or more inboxes.

`newsflow serve` (and `prefect.yaml`, for work pools) declare the same
deployment: the flow with its typed parameters (paths, db, config, languages)
filled in, the `[schedule]` of the config (cron or interval, in a time zone),
and a deployment concurrency limit of one run at a time (a run that comes due
while the previous one is still going waits in the queue, visible in the UI).
Each run reads only new or changed files: the warehouse's ledger skips the rest.
Runs of the deployment start in a subprocess importing `flows.build_corpus`.
"""

import asyncio
from collections.abc import Sequence
from pathlib import Path

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.exceptions import TerminationSignal
from prefect.runner import Runner
from prefect.schedules import Cron, Interval, Schedule

from flows.build_corpus import build_corpus, resolve_db
from newsflow.errors import ConfigError
from newsflow.settings import ScheduleSettings, Settings

TAGS = ("newsflow",)
FINISH_POLL_SECONDS = 0.5


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


class FinishingRunner(Runner):
    """A Runner that, on SIGTERM, submits no new run and lets the run in progress finish before it stops.

    Prefect's own Runner cancels the run in progress on SIGTERM: a deploy or a
    `systemctl stop` would then throw away a half-done batch every time.
    """

    def handle_sigterm(self, *args, **kwargs) -> None:
        if not self.started or self.stopping or self._loop is None:
            super().handle_sigterm(*args, **kwargs)
            return
        print("newsflow serve: SIGTERM received: no new runs; the run in progress finishes, then it stops", flush=True)
        self.stopping = True  # Runner._get_and_submit_flow_runs submits nothing more
        self._scheduled_run_poller.stopping = True  # ... nor does the poller's loop
        self.execute_in_background(self._finish_then_stop)

    def runs_in_flight(self) -> int:
        submitting = self._limiter.borrowed_tokens if self._limiter is not None else 0
        return max(submitting, self._process_manager.flow_run_count())

    async def _finish_then_stop(self) -> None:
        while self.runs_in_flight():
            await asyncio.sleep(FINISH_POLL_SECONDS)
        await self.astop()


def serve_inboxes(deployment: RunnerDeployment) -> None:
    """Register the deployment and run its scheduled runs until SIGTERM or Ctrl-C (pauses the schedule).

    SIGTERM lets a run in progress finish first (FinishingRunner); Ctrl-C stops at once."""
    runner = FinishingRunner(pause_on_shutdown=True, limit=1)
    runner.add_deployment(deployment)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        pass
