"""The scheduled deployments on a Prefect server, for any number of workers of a process work pool.

What `bilateral deploy` does, and what docker-compose.yml and tests/test_stack.py run: the work
pool (process), the global concurrency limit that keeps one writer of the warehouse at a time
(flows/writer.py), then the deployments of flows/serve.scheduled, their code read from this
project's directory by the worker that runs them. Each worker needs the project, the
configuration and the data directory at the same paths (see docs/scaling.md).
"""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, WorkPoolCreate
from prefect.exceptions import ObjectAlreadyExists

from bilateral.config import Config
from bilateral.paths import project_root
from flows.serve import scheduled
from flows.writer import WRITER_LIMIT

POOL = "bilateral"


def deploy(config: Config, pool: str = POOL) -> list[str]:
    """Create what is missing and (re)deploy every scheduled flow; returns the deployments' names."""
    with get_client(sync_client=True) as client:
        for create, thing in ((client.create_work_pool, WorkPoolCreate(name=pool, type="process")),
                              (client.create_global_concurrency_limit, GlobalConcurrencyLimitCreate(name=WRITER_LIMIT, limit=1))):
            try:
                create(thing)
            except ObjectAlreadyExists:
                pass
    names = []
    for flow, name, settings in scheduled(config):
        entrypoint = f"{flow.fn.__module__.replace('.', '/')}.py:{flow.fn.__name__}"
        flow.from_source(source=str(project_root()), entrypoint=entrypoint).deploy(
            name=name, work_pool_name=pool, print_next_steps=False, **settings)
        names.append(f"{flow.name}/{name}")
    return names
