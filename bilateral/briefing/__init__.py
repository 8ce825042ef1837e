"""The PDF briefing: context (marts -> plain data), charts (SVG), render (HTML -> PDF)."""
