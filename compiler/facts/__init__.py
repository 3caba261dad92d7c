"""What adflow knows of the Graph API: values, limits, versions and the request schemas."""
