"""im_client: a thin, synchronous msync + REST client for Easemob-style IM services."""
