"""The playground: a local stand-in for Telegram so the bot can be tried and tested without the network."""
