"""Meeting Guide JSON: the feed served (feed.py, feed_files.py) and feeds read in
(reader.py, importer.py)."""
