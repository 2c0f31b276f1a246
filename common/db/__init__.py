"""Database backends of the product: Django's own, with the differences their modules say."""
