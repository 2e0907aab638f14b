"""A dashboard session without a browser: Streamlit's websocket protocol, as the frontend speaks it.

One `Board` is one browser tab on the staff dashboard. It connects to /_stcore/stream (subprotocol
"streamlit"), asks for a run of the app with BackMsg.rerun_script, and reads the ForwardMsgs back:
the widget ids of the login form (from the deltas), the pages (navigation), and for a fragment with
run_every the `auto_rerun` message. Like the frontend (App.tsx handleAutoRerun), it then sends a
rerun_script with that fragment id and is_auto_rerun every `interval` seconds, on a fixed clock,
whether or not the previous refresh has finished; the server coalesces what piles up. It reports the
hashes of cacheable messages it has received, as the browser's message cache does, so the server
sends references instead of repeating them. Logging in is what a person does in the browser: type
the user name and password into the form's two text inputs and press its submit button (one rerun
carrying both strings and the button's trigger). No cookie is involved: the login lives in the
session, and the signed cookie that the browser would also store is written by a front-end component
this client does not run. Needs only `websockets` and `protobuf`, which Streamlit brings.
"""

import asyncio
import time
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

FRAGMENT_DONE = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
WAIT = 60.0


class Board:
    def __init__(self, base: str) -> None:
        url = urlsplit(base)
        self.url = f"ws://{url.netloc}/_stcore/stream"
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.widgets: dict[tuple[str, str], str] = {}  # (element type, label) -> widget id
        self.cached: set[str] = set()
        self.timers: dict[str, asyncio.Task] = {}
        self.finished: asyncio.Queue[int] = asyncio.Queue()
        self.refreshes: list[tuple[float, float]] = []  # (monotonic time it finished, seconds since asked)
        self.asked = 0.0
        self.interval = 0.0  # the fragment's run_every, as the server announced it
        self.texts: list[str] = []  # markdown, headings and captions seen, to check what is shown
        self.ws = None
        self.reader: asyncio.Task | None = None

    async def open(self, username: str, password: str, page: str) -> None:
        """Connect, log in through the login form, and go to `page` (its url path) via the page list."""
        self.ws = await connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=WAIT)
        self.reader = asyncio.create_task(self._read())
        await self.run(page_name="")
        user, secret = self.widgets[("text_input", "用户名")], self.widgets[("text_input", "密码")]
        states = [WidgetState(id=user, string_value=username), WidgetState(id=secret, string_value=password)]
        states.append(WidgetState(id=self.widgets[("button", "登录")], trigger_value=True))
        await self.run(states=states)
        if page not in self.pages:
            raise RuntimeError(f"{username}: no page {page!r} after logging in; seen {self.texts[-5:]}")
        await self.run(page_hash=self.pages[page])

    async def run(self, states: list[WidgetState] = (), page_hash: str | None = None, page_name: str = "") -> None:
        """A full run, as after a click or a page change; returns when the script has finished."""
        self.texts.clear()
        await self._send(states, page_hash if page_hash is not None else self.page_hash, page_name)
        status = ForwardMsg.FINISHED_EARLY_FOR_RERUN
        while status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(), st.switch_page(): another run follows
            status = await asyncio.wait_for(self.finished.get(), WAIT)
        if status != ForwardMsg.FINISHED_SUCCESSFULLY:
            raise RuntimeError(f"run ended with status {status}")

    async def _send(self, states, page_hash: str, page_name: str = "", fragment: str = "", auto=False) -> None:
        msg = BackMsg()
        client = msg.rerun_script
        client.widget_states.widgets.extend(states)
        client.page_script_hash, client.page_name = page_hash, page_name
        client.fragment_id, client.is_auto_rerun = fragment, auto
        client.cached_message_hashes.extend(self.cached)
        info = client.context_info
        info.timezone, info.timezone_offset, info.locale, info.url = "Asia/Shanghai", -480, "zh-CN", self.url
        await self.ws.send(msg.SerializeToString())

    async def _every(self, fragment: str, interval: float) -> None:
        """setInterval(() => sendUpdateWidgetsMessage(fragment, true), interval * 1000)."""
        due = time.monotonic()
        while True:
            due += interval
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            self.asked = time.monotonic()
            await self._send([], self.page_hash, fragment=fragment, auto=True)

    async def _read(self) -> None:
        async for data in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element)
            elif kind == "auto_rerun":
                self._schedule(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
            elif kind == "stop_auto_rerun":
                for fragment in msg.stop_auto_rerun.fragment_ids:
                    if task := self.timers.pop(fragment, None):
                        task.cancel()
            elif kind == "script_finished":
                if msg.script_finished == FRAGMENT_DONE:
                    now = time.monotonic()
                    self.refreshes.append((now, now - self.asked))
                else:
                    self.finished.put_nowait(msg.script_finished)

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        widget = getattr(element, kind)
        if hasattr(widget, "id") and hasattr(widget, "label") and widget.id:
            self.widgets[(kind, widget.label)] = widget.id
        elif kind in ("markdown", "heading", "alert"):
            self.texts.append(getattr(widget, "body", ""))

    def _schedule(self, fragment: str, interval: float) -> None:
        if fragment in self.timers and getattr(self.timers[fragment], "interval", None) == interval:
            return  # the same interval: the running timer stays (as in the frontend)
        if old := self.timers.pop(fragment, None):
            old.cancel()
        task = asyncio.create_task(self._every(fragment, interval))
        task.interval = self.interval = interval
        self.timers[fragment] = task

    async def close(self) -> None:
        for task in self.timers.values():
            task.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
