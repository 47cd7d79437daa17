"""The progress bar of long management commands (tqdm, on the command's
stderr so that stdout stays the command's answer; `--no-progress` hides it)."""

from tqdm import tqdm


def progress_bar(command, total, what, doing, hidden=False):
    """``total`` units of ``what`` (e.g. "studio"), the bar titled ``doing``."""
    return tqdm(
        total=total, unit=what, desc=doing, disable=hidden, file=command.stderr._out
    )
