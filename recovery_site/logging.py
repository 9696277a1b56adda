"""Log lines that say what happened, never who asked, and that no request can forge.

- gunicorn's error log names the client of a request it could not read ("Invalid request
  from ip=…"): ``GunicornLogger`` (``logger_class`` in gunicorn.conf.py) removes every IP
  address from that log, as the README promises.
- A path is logged decoded, so ``/%0d%0a[fake] "GET /admin/" 200`` would start a new line
  that looks like a request. Control characters are written as ``\\x0d``-style escapes in
  both gunicorn logs and in ``OneLineFormatter``'s lines.
- Django logs each request with a bad Host header (robots try thousands) as an error with
  its traceback: settings.LOGGING sends ``django.security`` to ``OneLineFormatter``, one
  line each.
"""

import ipaddress
import logging
import re

from gunicorn import glogging

# C0 and C1 control characters, and the two Unicode line separators some viewers obey.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# Anything that might be an address; ipaddress decides. The IPv6 form needs two colons,
# so a time such as 12:30 is never taken for one.
ADDRESS_CANDIDATES = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|(?:[0-9A-Fa-f]{0,4}:){2,}[0-9A-Fa-f.]*")
ADDRESS_REMOVED = "(address removed)"


def escape_control_characters(text):
    def escape(match):
        code = ord(match[0])
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return CONTROL_CHARACTERS.sub(escape, text)


def remove_addresses(text):
    def remove(match):
        try:
            ipaddress.ip_address(match[0])
        except ValueError:
            return match[0]
        return ADDRESS_REMOVED

    return ADDRESS_CANDIDATES.sub(remove, text)


class RemoveAddresses(logging.Filter):
    """Rewrites each record's message without IP addresses or raw control characters."""

    def filter(self, record):
        record.msg = escape_control_characters(remove_addresses(record.getMessage()))
        record.args = ()
        return True


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, with addresses kept out of its error log and the access log's
    values escaped."""

    def setup(self, cfg):
        super().setup(cfg)
        # setup() runs again on a configuration reload; one filter is enough.
        if not any(isinstance(each, RemoveAddresses) for each in self.error_log.filters):
            self.error_log.addFilter(RemoveAddresses())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: escape_control_characters(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


class OneLineFormatter(logging.Formatter):
    """One line per record: the message without its traceback, control characters escaped."""

    def format(self, record):
        # A copy, so that any other handler of the record still gets the traceback.
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info = record.exc_text = record.stack_info = None
        return escape_control_characters(super().format(record))
