"""What an outbound request raises: refused (trying again will not help) or unavailable (it may)."""


class OutboundRefused(Exception):
    """The request may not be made or its answer may not be used: a URL that is not plain http(s),
    an address outside the allowed networks, a refused certificate, an answer over the size cap."""


class OutboundUnavailable(Exception):
    """The other end could not be resolved, reached or did not answer in time: try again later."""


class OutboundTimeout(OutboundUnavailable):
    """The request's deadline passed (resolving, connecting, TLS, sending or reading)."""
