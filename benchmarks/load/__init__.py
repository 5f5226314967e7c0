"""Load benchmarks: the whole bot behind the playground's Bot API stand-in, in separate processes."""
