"""One model construction at a time in this process.

While transformers builds a model it swaps class attributes and puts them
back afterwards (``PreTrainedModel.tie_weights`` becomes a no-op for the
duration of ``from_pretrained``). Two loads on two threads can interleave so
that the no-op is "put back" for good: every later model then loads with an
untied, random ``lm_head`` and the language model writes nonsense. The
embedder and the language model do load on different threads (the window and
the CLI start the language model in the background while the embedder reads),
so every model construction in Newsdesk holds this lock.
"""

from __future__ import annotations

import threading

MODEL_LOAD_LOCK = threading.RLock()


def quiet_progress_bars() -> None:
    """Hide transformers' own "Loading weights" bar (stderr): Newsdesk says what it loads."""
    from transformers.utils import logging

    logging.disable_progress_bar()
