"""Pure renderers: a scored Report in, text or bytes out; the CLI decides where they go."""
