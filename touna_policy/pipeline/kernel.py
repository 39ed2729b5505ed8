"""The in-process Jupyter kernel a run's notebooks share: started from the running interpreter.

No kernelspec lookup (a fresh virtual environment never hits ``NoSuchKernel``): the notebooks'
``python3`` kernel resolves to ``sys.executable -m ipykernel_launcher``. One kernel serves all of a
run's notebooks, its namespace cleared between them (imports stay loaded), and stops at the end.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from touna_policy.errors import RunError

KERNEL_NAME = "python3"
"""The kernel name the report notebooks declare; resolved to this interpreter."""


def skip_slow_optional_imports() -> None:
    """Keep jsonschema (via nbformat) from importing ``rfc3987_syntax``: an optional checker of the
    'iri' string format that nbformat's schemas never use and whose import builds a grammar for ~2 s."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def kernel_spec():
    """A kernelspec for the running interpreter (``sys.executable -m ipykernel_launcher``)."""
    from jupyter_client.kernelspec import KernelSpec  # lazy: jupyter_client is heavy and only runs need it

    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (touna-policy)",
        language="python",
        metadata={},
    )


def interpreter_kernel_spec_manager():
    """A kernelspec manager that resolves :data:`KERNEL_NAME` to this interpreter, whatever is installed."""
    from jupyter_client.kernelspec import KernelSpecManager  # lazy: heavy, only runs need it

    class InterpreterKernelSpecManager(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == KERNEL_NAME:
                return kernel_spec()
            return super().get_kernel_spec(kernel_name)

    return InterpreterKernelSpecManager()


@contextlib.contextmanager
def interpreter_kernel(log_path: Path, start_timeout: float = 60) -> Iterator:
    """A started kernel of the running interpreter, its stderr in ``log_path``; shut down on exit."""
    from jupyter_client.manager import KernelManager  # lazy: heavy, only runs need it

    # nbclient (inside papermill) polls the kernel with asyncio: it needs an async client, or a kernel
    # that dies or a cell that exceeds --timeout blocks the run forever. Our own calls use blocking_client().
    km = KernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=interpreter_kernel_spec_manager(),
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
    )
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    with open(log_path, "ab") as log:
        km.start_kernel(stdout=log, stderr=log, env=env)
        try:
            skip_slow_optional_imports()
            import papermill  # noqa: F401  - lazy, imported while the kernel process boots, not after

            kc = km.blocking_client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=start_timeout)
            finally:
                kc.stop_channels()
            yield km
        finally:
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)


def reset_namespace(km, timeout: float = 60) -> None:
    """Clear the kernel's user namespace between notebooks (loaded modules stay: that is the point)."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        reply = kc.execute_interactive("%reset -f", store_history=False, timeout=timeout, output_hook=lambda msg: None)
        if reply["content"].get("status") != "ok":
            raise RunError("could not clear the kernel between notebooks")
    finally:
        kc.stop_channels()
