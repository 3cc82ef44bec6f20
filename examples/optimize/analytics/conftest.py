"""Root conftest: makes pytest put this project's root on sys.path so `import analytics` works."""
