"""From the AST to the model: Graph API request bodies, each value with its span."""
