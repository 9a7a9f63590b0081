"""Print: board posters, the handbook (办事一本通) and notices as PDF, with QR codes back to the portal."""
