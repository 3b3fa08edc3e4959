"""What the tests and the benchmark both drive: the real engine, a no-op resource, child processes
that announce themselves. Neither imports the other; both import this (it is not shipped)."""
