"""Surveys, evaluations, visitor feedback and collection suggestions. Its service is
yet to be built (the feedback issue); its contract comes first, because the
catalogue already reads one of its events."""
