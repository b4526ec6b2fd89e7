"""Simulators: card reader, scanner, camera and the settlement service. No Qt."""
