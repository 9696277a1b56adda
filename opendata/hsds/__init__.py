"""The HSDS 3.0 API under /hsds/, built from ``exchange.hsds.builders``."""
