"""What each named fault does, at the seams of the real code (seam.py): fault name → {seam: behaviour}.

A behaviour is called instead of the seam's function, with the real function first:
`behaviour(real, *args, **kwargs)`. app.py hands this table to `Faults`.
"""
from __future__ import annotations

from .seam import Behaviours

BEHAVIOURS: Behaviours = {}
