"""Open Badges 1.x/2.0 verification: :mod:`.verifier` runs the numbered steps over hosted and signed
assertions; the other modules hold the steps, the JSON-LD graph, the class checks and the upgrade
from 1.x.  Kept empty so that importing one helper does not pull the whole verifier."""
