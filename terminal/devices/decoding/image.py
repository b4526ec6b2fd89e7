"""Reading an image file without trusting it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from terminal.devices.decoding.errors import UnreadableImage

# A phone photo is a few MB; refuse to read something absurd into memory.
MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024


def load_image(path: str | Path) -> npt.NDArray[np.uint8]:
    """The image at `path` as BGR (or gray) pixels; UnreadableImage if it is not one."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_FILE_BYTES:
            raise UnreadableImage(f"The file {path.name} is too large to be a picture of a code.",
                                  detail=f"{size} bytes")
        data = np.fromfile(path, dtype=np.uint8)
    except FileNotFoundError:
        raise UnreadableImage(f"The image {path} does not exist.") from None
    except IsADirectoryError:
        raise UnreadableImage(f"{path} is a folder, not an image.") from None
    except OSError as exc:
        raise UnreadableImage(f"The image {path} cannot be read.", detail=str(exc)) from None
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None or image.size == 0:
        raise UnreadableImage(f"The file {path.name} is not an image that can be read.",
                              detail="unknown or corrupt image format")
    return np.asarray(image)
