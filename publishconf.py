"""Settings for the public site: pelicanconf.py plus these overrides."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# Printed QR codes point here for years (PUBLIC_SITEURL in pelicanconf.py): set it once, keep it.
SITEURL = PUBLIC_SITEURL  # noqa: F405
RELATIVE_URLS = False
# The public site publishes only packages whose signature verifies: allow_unsigned is never on here.
GONGSHI = {**GONGSHI, "index_links": False, "allow_unsigned": False}  # noqa: F405
