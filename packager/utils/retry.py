"""How often and how patiently to repeat a request that may succeed later (Moodle, LRS)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Retry:
    attempts: int = 4
    first_delay: float = 0.5
    factor: float = 2.0
    sleep: Callable[[float], None] = time.sleep
