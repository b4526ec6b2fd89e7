"""The devices panel's camera: the newest frame with each code outlined, frames per second and decode time.

It polls the camera scanner's thread-safe getters (`preview()`, `live()`) a few
times a second while on show; both copy a little under the scanner's lock and
never wait for the capture or the decode. The scaling and the outlines' geometry
are terminal.app.camera_view's; this widget only paints them.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QImage, QPainter, QPen, QPixmap, QPolygonF, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from terminal.app.camera_view import CameraReadout, PreviewPicture, preview_picture
from terminal.app.scan_check import shorten
from terminal.devices.camera import CameraScanner
from terminal.devices.decoding import DecodeResult
from terminal.ui import style

POLL_MS = 200  # 5 pictures a second: enough to aim a box, cheap on the GUI thread
PREVIEW_SIZE = (256, 144)


class CameraPreview(QWidget):
    def __init__(self, camera: CameraScanner | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera = camera
        self.picture: PreviewPicture | None = None  # what is painted now (tests read the model, not pixels)
        self.readout: CameraReadout | None = None
        self._shown: tuple[int, tuple[DecodeResult, ...]] | None = None
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(*PREVIEW_SIZE)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setStyleSheet(f"background: {style.PANEL};")
        self.figures = QLabel()
        self.codes = QLabel()
        self.codes.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.figures)
        layout.addWidget(self.codes)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        if camera is None:
            self.image.setText(self.tr("No camera is enabled at this counter (devices.camera.enabled)."))
        else:
            self.image.setText(self.tr("Waiting for the camera's first picture…"))

    def poll(self) -> None:
        camera = self.camera
        if camera is None:
            return
        preview = camera.preview()
        if preview is not None and (preview.frame_index, preview.codes) != self._shown:
            # Only a new frame (or new codes on the same one) is scaled and painted again.
            self._shown = (preview.frame_index, preview.codes)
            width, height = max(self.image.width(), PREVIEW_SIZE[0]), max(self.image.height(), PREVIEW_SIZE[1])
            self.picture = preview_picture(preview, width, height)
            self.image.setPixmap(self._drawn(self.picture))
        self.readout = CameraReadout.of(camera.live(), self.picture)
        self._show_figures(self.readout)

    def _drawn(self, picture: PreviewPicture) -> QPixmap:
        frame = picture.frame
        height, width = frame.shape[:2]
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_RGB888).copy()
        pixmap = QPixmap.fromImage(image)
        painter = QPainter(pixmap)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(style.GREEN), 3))
            for outline in picture.outlines:
                painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in outline]))
        finally:
            painter.end()
        return pixmap

    def _show_figures(self, readout: CameraReadout) -> None:
        decode = self.tr("%1 ms").replace("%1", f"{readout.decode_ms:.1f}") if readout.decode_ms is not None \
            else self.tr("none yet")
        self.figures.setText(self.tr("%1 frames/s · decode %2 · %3 frames, %4 decoded")
                             .replace("%1", f"{readout.fps:.1f}").replace("%2", decode)
                             .replace("%3", str(readout.frames_captured)).replace("%4", str(readout.frames_decoded)))
        picture = self.picture
        if picture is None or not picture.outlines:
            self.codes.setText(self.tr("No code in view."))
        else:
            self.codes.setText(self.tr("In view: %1").replace("%1", " · ".join(shorten(t, 24) for t in picture.texts)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.camera is not None:
            self._timer.start()
            self.poll()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()
