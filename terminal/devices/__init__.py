"""Device drivers: scanners (camera, keyboard wedge, serial) and the card reader. No Qt."""
