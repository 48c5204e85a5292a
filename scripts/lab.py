"""Start JupyterLab on the course notebooks (run by `make lab`).

Serves on 127.0.0.1 only, with a token: random each time unless TOKEN is set. Starts at port
PORT (default 8888) and takes the next free one if it is busy, so the address printed here is
the one Lab really uses.

Lab's root is the project folder and it opens on notebooks/: the notebooks are one click from
the course's source (course/engine.py, ...), which students are invited to read.
"""

import os
import secrets
import shutil
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port(start: int, tries: int = 50) -> int:
    """The first port from `start` on that nobody listens on at HOST."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return port
    sys.exit(f"lab: no free port between {start} and {start + tries - 1}; try PORT=9000")


def can_open_browser() -> bool:
    if os.environ.get("CI"):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # macOS, Windows


def main() -> None:
    asked = int(os.environ.get("PORT") or 8888)
    port = free_port(asked)
    token = os.environ.get("TOKEN") or secrets.token_hex(24)
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or "jupyter"

    cmd = [
        jupyter,
        "lab",
        f"--ip={HOST}",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/notebooks",  # where `/` and the browser go
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # Jupyter refuses to run as root without it
    if not can_open_browser():
        cmd.append("--no-browser")

    url = f"http://{HOST}:{port}/lab/tree/notebooks?token={token}"
    if port != asked:
        print(f"lab: port {asked} is busy, using {port}")
    print(f"lab: open {url}")
    print("lab: stop it with Ctrl+C twice", flush=True)
    os.execvp(cmd[0], cmd)  # Jupyter takes over this process: Ctrl+C and signals reach it


if __name__ == "__main__":
    main()
