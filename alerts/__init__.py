"""alerts/: findings become digests, delivered exactly once by email, Slack or files."""
