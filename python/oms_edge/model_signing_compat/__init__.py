"""Drop-ins for ``model_signing``'s verification API.

``from oms_edge.model_signing_compat import verifying`` in place of
``from model_signing import verifying``; ``hashing.Config`` stands in for
``model_signing.hashing.Config`` where a verifying configuration takes one.
"""

from . import hashing, verifying

__all__ = ["hashing", "verifying"]
