"""Write a pip constraints file (name==version) from a poetry.lock: pip then installs what CI locks."""

import sys
from pathlib import Path

import tomllib

lock = tomllib.loads(Path(sys.argv[1]).read_text())
Path(sys.argv[2]).write_text("".join(f"{p['name']}=={p['version']}\n" for p in lock["package"]))
