"""The platform with the example part added: one entry. Run it with
PUSTAKA_PARTS=tests.example_part.platform:PARTS."""

from pustaka.parts import PARTS as PLATFORM

from .part import PART as example

PARTS = (*PLATFORM, example)
