"""Run the Bot API stand-in alone, in its own process (so it does not share the bot's CPU time).

    python -m benchmarks.load.standin_server PORT STATE_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from aiohttp import web

from playground.runner import COUNSELLOR_CHAT_ID, COUNSELLOR_IDS, EDITOR_IDS, PLAYGROUND_TOKEN
from playground.standin import persist
from playground.standin.app import create_standin_app

# A load run's state grows to thousands of messages; writing the whole file every fraction of a
# second would pause the stand-in (it runs on one event loop) and show up as the bots' latency.
# Real Telegram does not pause, so here the state is written only when the stand-in stops.
persist.SAVE_INTERVAL = persist._MAX_INTERVAL = 24 * 3600.0


def main() -> None:
    port, state_dir = int(sys.argv[1]), Path(sys.argv[2])
    app = create_standin_app(state_dir, bot_token=PLAYGROUND_TOKEN, counsellor_chat_id=COUNSELLOR_CHAT_ID,
                             counsellor_ids=COUNSELLOR_IDS, editor_ids=EDITOR_IDS,
                             limits=False)  # a speed benchmark: the bot's own cost, not Telegram's limits
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
