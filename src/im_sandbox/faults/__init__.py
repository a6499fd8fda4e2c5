"""Named faults behind one seam: the catalogue (`catalogue.py`), the seam real code is marked with
(`seam.py`), and what each fault does there (`im_sandbox/fault_behaviours.py`, handed to `Faults` by app.py)."""
from .catalogue import ENV, FAULTS, Fault, UnknownFault, check_names, from_env, parse_list
from .seam import Faults, seam

__all__ = ["ENV", "FAULTS", "Fault", "Faults", "UnknownFault", "check_names", "from_env", "parse_list", "seam"]
