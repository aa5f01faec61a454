"""The machinery around experiments: registry, typed config overrides, run context, runner."""
