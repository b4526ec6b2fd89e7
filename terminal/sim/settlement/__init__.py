"""The simulated settlement service: a real HTTP server speaking DESIGN.md's protocol."""
