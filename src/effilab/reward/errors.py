"""Exceptions of the reward: effilab could not score a completion (never a candidate's failure).

A candidate that is wrong, crashes, times out or is malformed gets a low reward, never an exception; these
mean the *caller* asked for something the reward cannot score, or the machine could not run it.
"""

from __future__ import annotations

from effilab.errors import EffilabError, InvalidArgument

__all__ = ["ProblemUnusable", "RewardError", "UnknownTask"]


class RewardError(EffilabError):
    """effilab failed while computing a reward (the message names the task and the cause)."""


class UnknownTask(RewardError, InvalidArgument):
    """A task id that the reward's suite does not have."""


class ProblemUnusable(RewardError):
    """The suite's problem cannot score anything (its references fail, no usable test case)."""
