"""Sources that sync themselves: fetching (``fetch.py``) and each run (``runs.py``)."""
