"""The knowledge-base and evaluation API (/api/v1/) and the CDS Hooks service."""
