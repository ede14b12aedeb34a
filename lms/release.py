"""The id of the running code, for cache key prefixes (docs/caching.md). No Django imports:
the settings read it."""

from importlib import metadata
from pathlib import Path


def _git_commit(base_dir: Path) -> str:
    """The commit checked out in `base_dir` (a clone or a worktree), read from git's files."""
    git = base_dir / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        common = (
            Path((git / "commondir").read_text().strip()) if (git / "commondir").exists() else None
        )
        for root in (git, (git / common) if common else None):
            if root is not None and (root / ref).exists():
                return (root / ref).read_text().strip()[:12]
            packed = root / "packed-refs" if root is not None else None
            if packed is not None and packed.exists():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0][:12]
    except (OSError, IndexError):
        pass
    return ""


def release_id(base_dir: Path) -> str:
    """The git commit of the code, else the installed package's version."""
    commit = _git_commit(base_dir)
    if commit:
        return commit
    try:
        return "v" + metadata.version("lms")
    except metadata.PackageNotFoundError:
        return "dev"
