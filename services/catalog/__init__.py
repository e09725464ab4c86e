"""The catalogue: branches, titles (bibliographic records) and their copies."""
