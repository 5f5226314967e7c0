"""Reading uploaded YAML, in this process or in a child process.

libyaml reads a file in one C call that holds the interpreter for its whole length (~0.5 s per MB
here, more on a busy machine): in a thread of the bot's process, the bot's event loop waits that
long. The editors' import therefore reads its files in a short-lived child process
(`read_in_child`), which also keeps a crash of libyaml away from the bot.

    python -m knowledge.yaml_reading   (stdin: pickled {name: text}; stdout: pickled {name: Read})
"""

from __future__ import annotations

import pickle
import sys
from itertools import accumulate
from typing import Any, NamedTuple

import yaml

from storage.child_process import run_module

# libyaml reads large files ten times faster than PyYAML's Python loader, with the same result; but it
# builds nested values recursively in C, so deep nesting would crash the process: see nested_too_deep.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NESTING = 20  # our content is 3 deep


class Read(NamedTuple):
    """A file's data, or why it could not be read (then `data` is None)."""

    data: Any
    problem: str = ""


def nested_too_deep(text: str) -> bool:
    """Measured from the parser's flat stream of events, stopped as soon as it is too deep (libyaml also
    slows down with the square of the depth)."""
    steps = (isinstance(e, yaml.CollectionStartEvent) - isinstance(e, yaml.CollectionEndEvent)
             for e in yaml.parse(text, Loader=YAML_LOADER))
    return any(depth > MAX_NESTING for depth in accumulate(steps))


def read_yaml(text: str) -> Read:
    try:
        if nested_too_deep(text):
            return Read(None, f"nested more than {MAX_NESTING} levels deep")
        return Read(yaml.load(text, Loader=YAML_LOADER) or {})
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: e.g. `2024-13-45`
        return Read(None, f"not valid YAML: {exc}")


async def read_in_child(files: dict[str, str]) -> dict[str, Read]:
    """Every file read by a child process. If the child fails (it crashed, or could not start), each
    file says so; nothing is read in this process instead."""
    code, out, _ = await run_module(__name__, stdin=pickle.dumps(files), keep_stderr=False)
    if code != 0:
        return {name: Read(None, "could not be read (the reader stopped); check it is valid YAML") for name in files}
    # Our own child's answer, made of what yaml's safe loader builds (dicts, lists, strings, dates...).
    read: dict[str, tuple[Any, str]] = pickle.loads(out)
    return {name: Read(*found) for name, found in read.items()}


def _main() -> None:
    files: dict[str, str] = pickle.load(sys.stdin.buffer)  # from the parent only
    # Plain tuples: a `Read` made here would be pickled as `__main__.Read`, unknown to the parent.
    sys.stdout.buffer.write(pickle.dumps({name: tuple(read_yaml(text)) for name, text in files.items()}))


if __name__ == "__main__":
    _main()
