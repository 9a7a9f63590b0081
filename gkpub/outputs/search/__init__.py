"""The full-text search index, made by Pagefind from the written pages."""
