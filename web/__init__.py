"""Web pages served by the bot's aiohttp application: the editors' pages under /admin."""
