"""Turning files into paragraphs. One module per format; `plain` handles text and Markdown."""
