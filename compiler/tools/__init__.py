"""Working with a checked file: the conversation graph and simulator, change plans, the sandbox."""
