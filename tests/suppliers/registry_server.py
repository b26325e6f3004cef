"""A local HTTP server that plays the business registry, for the registry lookup's tests.

It listens on 127.0.0.1 on a free port, in a thread, and answers `GET <prefix>/<code>` from
`answers`: a code maps to an `Answer` (status, headers, body, and how slowly to send it). Every
request it receives is kept in `requests`, so a test can show that nothing reached it.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between body bytes
    send_length: bool = True


def record(code: str, **fields: str) -> Answer:
    """A 200 answer with the registry's JSON record of `code`."""
    data = {
        "uscc": code,
        "name": "武汉光谷光电科技有限公司",
        "name_en": "Wuhan Guanggu Photonics Co., Ltd.",
        "legal_representative": "Chen Jie",
        "status": "active",
        "registered_address": "1 Gaoxin Avenue, Wuhan",
        "business_scope": "Manufacture of laser cutting machines",
        **fields,
    }
    return Answer(body=json.dumps(data, ensure_ascii=False).encode(), headers={"Content-Type": "application/json"})


@dataclass
class Seen:
    path: str
    host: str
    authorization: str


class _Handler(BaseHTTPRequestHandler):
    server: "RegistryServer"

    def do_GET(self) -> None:
        self.server.requests.append(
            Seen(self.path, self.headers.get("Host", ""), self.headers.get("Authorization", ""))
        )
        answer = self.server.answers.get(self.path.rsplit("/", 1)[-1], Answer(status=404, body=b"{}"))
        time.sleep(answer.delay)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.send_length:
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        try:
            if answer.trickle:
                for byte in answer.body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(answer.trickle)
            else:
                self.wfile.write(answer.body)
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


class RegistryServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers: dict[str, Answer] = {}
        self.requests: list[Seen] = []
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}/v1/companies"

    def __enter__(self) -> "RegistryServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
