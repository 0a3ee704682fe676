"""Registered domains of URLs (public suffix list, via `tld`)."""

from tld import get_fld


def registered_domain(url: str) -> str | None:
    """The registrable domain of a URL by the public suffix list; None for hosts without one."""
    if not url:
        return None
    candidate = url if "://" in url else f"http://{url}"
    domain = get_fld(candidate, fail_silently=True)
    return domain.lower() if domain else None
