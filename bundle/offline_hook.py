"""PyInstaller runtime hook: the bundled app starts offline.

Runs before any of the app's imports. The packaged models are read from the
bundle, so the Hugging Face libraries are told never to reach for the hub
(no update checks, no downloads, no telemetry). A user who picks a hub model
and has internet can opt back in by starting the app with HF_HUB_OFFLINE=0.
"""

import os

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
