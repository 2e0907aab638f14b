"""A dashboard session opened the way a script would, without a browser: the xsrf cookie from
/_stcore/health, the websocket /_stcore/stream, one run of the page; then raw PUTs to Streamlit's
upload endpoint for that session, and the server process's resident memory from /proc."""

import http.client
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

BOUNDARY = "pingyi-test-boundary"


def rss_bytes(pid: int) -> int:
    """Resident memory of process `pid` (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass
class RawSession:
    host: str
    port: int
    xsrf: str
    session_id: str

    def put(self, size: int, *, login: str | None = None, chunked: bool = False) -> tuple[int | str, str]:
        """PUT one file of `size` random bytes as the browser would (multipart, X-Xsrftoken): the status
        and text, or ("reset", …) where the server closed the connection while the body was still going."""
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="花名册.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        body = head + os.urandom(size) + f"\r\n--{BOUNDARY}--\r\n".encode()
        cookies = f"_streamlit_xsrf={self.xsrf}" + (f"; pingyi_login={login}" if login else "")
        headers = {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "X-Xsrftoken": self.xsrf,
            "Cookie": cookies,
        }
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        address = f"/_stcore/upload_file/{self.session_id}/{uuid.uuid4()}"
        try:
            if chunked:
                pieces = (body[i : i + 65536] for i in range(0, len(body), 65536))
                connection.request("PUT", address, body=pieces, headers=headers, encode_chunked=True)
            else:
                connection.request("PUT", address, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace")
        except (BrokenPipeError, ConnectionResetError) as error:
            return "reset", str(error)
        finally:
            connection.close()


def _xsrf_cookie(host: str, port: int) -> str:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", "/_stcore/health")
        response = connection.getresponse()
        response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("_streamlit_xsrf="):
                return value.split(";", 1)[0].split("=", 1)[1]
    finally:
        connection.close()
    raise RuntimeError("/_stcore/health set no xsrf cookie")


@contextmanager
def raw_session(base: str) -> Iterator[RawSession]:
    """A live session of the dashboard at `base` whose first run has finished (the login page), kept
    open while the caller uses it."""
    address = urlsplit(base)
    xsrf = _xsrf_cookie(address.hostname, address.port)
    with connect(
        f"ws://{address.netloc}/_stcore/stream",
        subprotocols=["streamlit", xsrf],
        additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}", "Origin": base},
        max_size=None,
    ) as websocket:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        websocket.send(rerun.SerializeToString())
        session_id = None
        while True:
            message = ForwardMsg()
            message.ParseFromString(websocket.recv(timeout=60))
            kind = message.WhichOneof("type")
            if kind == "new_session":
                session_id = message.new_session.initialize.session_id
            elif kind == "script_finished" and session_id:
                break
        yield RawSession(address.hostname, address.port, xsrf, session_id)
