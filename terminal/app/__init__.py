"""The counter application without Qt: its resources assembled, and what its screens show worked out."""
