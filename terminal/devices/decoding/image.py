"""Reading an image file without trusting it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from terminal.devices.decoding.errors import UnreadableImage
from terminal.files import read_file_bytes

# A phone photo is a few MB; refuse to read something absurd into memory.
MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024


def load_image(path: str | Path) -> npt.NDArray[np.uint8]:
    """The image at `path` as BGR (or gray) pixels; UnreadableImage if it is not one.

    A missing file, a folder or a FIFO is BadInput and a disk that fails an EnvironmentFault, as for
    every file a person names (terminal.files).
    """
    raw = read_file_bytes(path, "image", max_bytes=MAX_IMAGE_FILE_BYTES)
    data = np.frombuffer(raw, dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None or image.size == 0:
        raise UnreadableImage(f"The file {Path(path).name} is not an image that can be read.",
                              detail="unknown or corrupt image format")
    return np.asarray(image)
