"""For editors: what a place in a file means, the layout (`fmt`) and the language server."""
