"""Structured logs: one JSON object per line on standard error, for the log shipper.

The BFF logs ids (party, meeting), never PINs, tokens, phone numbers, CPR numbers or names;
the filter here is a second line of defence that masks what looks like one anyway, in the
message and in exception text (a library's error may quote a URL with a token in it).
"""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import Any

import msgspec

from bff.ops.outbound import RequestIdLogFilter

# CPR-shaped: DDMMYY, a dash or not, four digits, not inside a longer word or number (a hex
# id, a unix time: 17.. is no day and month).
CPR_SHAPED = re.compile(
    r"(?<![0-9A-Za-z.])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d-?\d{4}(?![0-9A-Za-z.])"
)
# What must never reach a log line, whatever code writes it.
_MASKS = (
    (re.compile(r"(/j/)[A-Za-z0-9_\-]{8,}"), r"\1[token]"),  # citizen link tokens
    (re.compile(r"((?:token|pin|jwt|secret|key|password)=)[^&\s\"']+", re.I), r"\1[masked]"),
    (
        re.compile(
            r"(\"?(?:token|pin|guest_pin|host_pin|hostPin|guestPin)\"?\s*[:=]\s*\"?)"
            r"[^\"',\s}]+",
            re.I,
        ),
        r"\1[masked]",
    ),
    (re.compile(r"\+\d{8,15}\b"), "[phone]"),  # E.164 numbers
    # CPR-shaped: DDMMYY, a dash or not, four digits (a unix time's 17.. is no day and month)
    (CPR_SHAPED, "[cpr]"),
    (re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-.]+"), "[jwt]"),
)
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


def redact(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


_ENCODER = msgspec.json.Encoder(enc_hook=str)  # what json.dumps(default=str) wrote, faster


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = redact(str(value)) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["trace"] = redact(self.formatException(record.exc_info))
        return _ENCODER.encode(entry).decode()


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(log_format: str = "json", level: int = logging.INFO) -> None:
    """Root logger to stderr in the chosen format; uvicorn's loggers go the same way."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(RequestIdLogFilter())  # request_id on every line of a request
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "litestar"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    access = logging.getLogger("uvicorn.access")  # never: citizen link paths carry tokens
    access.handlers[:] = []
    access.propagate = False
    access.disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs URLs, which carry tokens
    logging.getLogger("httpcore").setLevel(logging.WARNING)


# uvicorn's own dictConfig would replace ours in every worker: this keeps ours.
UVICORN_LOG_CONFIG: dict[str, Any] = {"version": 1, "disable_existing_loggers": False}
