from .alliance import AllianceChair, AllianceIndexPage, AlliancePage
from .stories import StoryIndexPage, StoryPage
from .studio import (
    Achievement,
    Craftsman,
    Studio,
    StudioMember,
    StudioPhoto,
    StudioTag,
)

__all__ = [
    "Achievement",
    "AllianceChair",
    "AllianceIndexPage",
    "AlliancePage",
    "Craftsman",
    "StoryIndexPage",
    "StoryPage",
    "Studio",
    "StudioMember",
    "StudioPhoto",
    "StudioTag",
]
