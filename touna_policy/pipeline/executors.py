"""Where independent runs execute: :data:`EXECUTORS` (this process, a process pool, or a Dask cluster).

Every executor here is a :class:`concurrent.futures.Executor` (``submit``/``map``/``shutdown``), so
code that fans work out (``touna-policy batch``, national Monte Carlo chunks) takes any executor and
does not know where the work runs; it collects results in submission order, so the output is the
same whichever executor ran it.

Without an address, :class:`DaskExecutor` starts a :class:`distributed.LocalCluster` on this machine
(single-threaded worker processes, one per job) and stops it on shutdown; with an address
(``tcp://scheduler-host:8786``) it connects to a running cluster and leaves the cluster running.
Workers of a remote cluster need the same touna-policy version installed, its data files, and the
reports folder on a file system they share with this machine (each run writes its own folder).
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator

from touna_policy.errors import RunError

CONNECT_TIMEOUT_S = 30
"""Seconds to wait for a remote scheduler before giving up with a clear error."""


class DaskExecutor(cf.Executor):
    """A ``concurrent.futures`` executor backed by a dask.distributed cluster.

    Parameters
    ----------
    jobs : workers of the LocalCluster (default: one per core); ignored with ``scheduler``
    scheduler : address of a running scheduler (``tcp://host:8786``); ``None`` starts a LocalCluster
    processes : LocalCluster workers as processes (default: no shared GIL) or threads
    connect_timeout_s : seconds to wait for a remote scheduler (default :data:`CONNECT_TIMEOUT_S`)

    Raises
    ------
    RunError
        if the scheduler cannot be reached or the local cluster cannot start.
    """

    def __init__(
        self,
        jobs: int | None = None,
        scheduler: str | None = None,
        processes: bool = True,
        connect_timeout_s: float | None = None,
    ):
        from distributed import Client, LocalCluster

        self.scheduler = scheduler
        self._cluster = None
        try:
            if scheduler:
                timeout = CONNECT_TIMEOUT_S if connect_timeout_s is None else connect_timeout_s
                self._client = Client(scheduler, timeout=f"{timeout}s", set_as_default=False)
            else:
                self._cluster = LocalCluster(
                    n_workers=max(1, int(jobs or os.cpu_count() or 1)),
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=":0",
                )
                self._client = Client(self._cluster, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
            raise RunError(
                f"could not reach {where} ({exc}); start one with `dask scheduler` and "
                f"`dask worker ADDRESS`, or leave out --scheduler to use this machine"
            ) from None
        self._executor = self._client.get_executor(pure=False)

    @property
    def dashboard_link(self) -> str:
        return self._client.dashboard_link

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            self._executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self._client.close()
            if self._cluster is not None:
                self._cluster.close()


def dask_pool(jobs: int | None = None, scheduler: str | None = None, **options) -> DaskExecutor:
    """Factory for ``EXECUTORS['dask']``: ``(jobs, scheduler=None, processes=True)``."""
    return DaskExecutor(jobs, scheduler, **options)


@contextlib.contextmanager
def dask_executor(
    scheduler: str | None = None,
    n_workers: int | None = None,
    processes: bool = True,
    connect_timeout_s: float | None = None,
) -> Iterator[DaskExecutor]:
    """:class:`DaskExecutor` as a context manager: the cluster (if started here) stops on exit."""
    pool = DaskExecutor(n_workers, scheduler, processes, connect_timeout_s)
    try:
        yield pool
    finally:
        pool.shutdown()


class SerialExecutor(cf.Executor):
    """Runs each call at submit time in this process (``--jobs 1``, debugging, tests)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001
            future.set_exception(exc)
        return future


def process_pool(jobs: int, **_options) -> cf.Executor:
    """A pool of ``jobs`` spawned processes (no state shared with this one) that leave without the
    interpreter's teardown (:func:`leave_without_teardown`)."""
    return cf.ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=leave_without_teardown
    )


def leave_without_teardown() -> None:
    """Pool worker initializer: when the worker's last call is done, end the process at once.

    A report worker holds pandas, matplotlib, nbconvert and papermill; the teardown that frees their
    objects one by one costs about 0.3-0.5 s of CPU, which a batch (it waits for its workers) pays at
    its end. The exit handler registered here runs after the handlers registered later (LIFO: those of
    the libraries the runs import), flushes stdout and stderr and exits with status 0. Every result
    and file has been returned or closed by then: a worker only ends once the pool sends no more work.
    """
    atexit.register(_exit_now)


def _exit_now() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def serial_pool(jobs: int, **_options) -> cf.Executor:
    """Every run in this process, one after the other."""
    return SerialExecutor()


EXECUTORS: dict[str, Callable[..., cf.Executor]] = {
    "process": process_pool,
    "serial": serial_pool,
    "dask": dask_pool,
}
"""Executor name -> factory(jobs, **options) returning a concurrent.futures.Executor (``touna-policy batch
--executor``; ``dask`` takes ``scheduler=ADDRESS``)."""
