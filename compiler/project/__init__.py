"""A project on disk: its configuration, which files a command reads, the result cache."""
