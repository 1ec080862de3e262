"""The Textual study app. Import ``ibdquiz.tui.app`` lazily: it pulls in Textual."""
