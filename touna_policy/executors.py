"""Where independent runs execute: a Dask cluster (``dask.distributed``), local or remote.

Every executor here is a context manager yielding a :class:`concurrent.futures.Executor`
(``submit``/``map``), so code that fans work out (scenario batches, Monte Carlo chunks) takes any
executor and does not know where the work runs. Results come back in submission order, so the output
of a batch is the same whichever executor ran it.

``dask_executor()`` without an address starts a :class:`distributed.LocalCluster` on this machine
(one single-threaded worker process per core) and stops it on exit; with an address
(``tcp://scheduler-host:8786``) it connects to a running cluster and leaves it running.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Iterator

from .errors import RunError

CONNECT_TIMEOUT_S = 30
"""Seconds to wait for a remote scheduler before giving up with a clear error."""


@contextmanager
def dask_executor(scheduler: str | None = None, n_workers: int | None = None, processes: bool = True,
                  connect_timeout_s: float = CONNECT_TIMEOUT_S) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor backed by a dask.distributed cluster.

    Parameters
    ----------
    scheduler : address of a running scheduler (``tcp://host:8786``); ``None`` starts a LocalCluster
    n_workers : workers of the LocalCluster (default: one per core); ignored with ``scheduler``
    processes : LocalCluster workers as processes (default; no shared GIL) or threads
    connect_timeout_s : how long to wait for a remote scheduler

    Raises
    ------
    RunError
        if the scheduler cannot be reached or the local cluster cannot start.
    """
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=f"{connect_timeout_s}s", set_as_default=False)
        else:
            cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=processes, dashboard_address=":0")
            client = Client(cluster, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise RunError(f"could not reach {where} ({exc}); start one with `dask scheduler` and "
                       f"`dask worker ADDRESS`, or leave out --scheduler to use this machine") from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
