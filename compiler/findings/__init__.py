"""Diagnostics and what is done with them: suggestions, suppressions, fixes, reports, rule pages."""
