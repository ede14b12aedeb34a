"""Community: discussion spaces, the library of practices and the network directory.

Discussions are plain models (learner state); the library and the discussion activity are
Wagtail pages (content). The package re-exports every model, as Wagtail's own does.
"""

from .activity import DiscussionPage
from .directory import OrganisationProfile
from .discussions import CodeAcceptance, Post, Report, Space, Thread
from .library import LibraryIndexPage, PracticePage, ResourcePage, Theme
from .notifications import MessageSent, NotificationPreference

__all__ = [
    "CodeAcceptance",
    "DiscussionPage",
    "LibraryIndexPage",
    "MessageSent",
    "NotificationPreference",
    "OrganisationProfile",
    "Post",
    "PracticePage",
    "Report",
    "ResourcePage",
    "Space",
    "Theme",
    "Thread",
]
