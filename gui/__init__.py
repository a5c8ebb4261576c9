"""Neural Style Studio's window (PySide6). Imports engine; engine never imports this."""
