"""Moving the whole data folder to a new PC: one archive out, proven and restored in."""

from pfdesk.services.moving.service import MoveInResult, MoveOutInfo, move_in, move_out

__all__ = ["MoveInResult", "MoveOutInfo", "move_in", "move_out"]
