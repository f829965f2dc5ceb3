"""A coach's eye: the checks a coach makes on every story, telling time, and the loop plan.

``timing`` estimates how long a story takes to tell, ``checks`` finds what a coach would
flag (as warnings with a short code each), ``settings`` reads which checks a workspace has
switched off, and ``loop`` assigns a story to every (interviewer, principle) of the loop.
"""
