"""Log formatting: UTC ISO timestamps, and no way for input to forge a log line."""

import logging
import time


class SafeFormatter(logging.Formatter):
    converter = time.gmtime  # UTC

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", self.converter(record.created))

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        # One record, one line: escape the characters that would start a new one.
        return text.replace("\\r", "\\\\r").replace("\r", "\\r").replace("\n", "\\n")
