"""Catch an answer that calls the package's own version of what its exercise asks to write.

Inside ``log_softmax``, a call to ``course.losses.log_softmax`` gives the right numbers and
teaches nothing. ``call_without_shortcuts`` runs the student's code while a profile function
(``sys.setprofile``) watches every Python call made meanwhile. A call to one of the package
objects named as shortcuts (a function, any method of a class, or any function of a module) is
recorded, however the student reached it (``losses.log_softmax``, an import under another name,
a method), and the answer is then incorrect with a message that names the call. Nothing in the
package or the notebook is changed while it watches.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from types import CodeType, ModuleType

from course.exercises.checking import Case, Incorrect, call_student

# what the message calls it -> the package's function, class or module
Shortcuts = dict[str, object]


def _watched(shortcuts: Shortcuts) -> tuple[dict[CodeType, str], dict[str, str]]:
    """The code objects of the shortcut functions and methods, and the files of the modules."""
    codes: dict[CodeType, str] = {}
    files: dict[str, str] = {}
    for name, target in shortcuts.items():
        if isinstance(target, ModuleType):
            files[target.__file__] = name
            continue
        members = vars(target).values() if inspect.isclass(target) else [target]
        for member in members:
            code = getattr(getattr(member, "__func__", member), "__code__", None)
            if code is not None:
                codes[code] = name
    return codes, files


def call_without_shortcuts(function: Callable, *args: object, shown: str,
                           shortcuts: Shortcuts, task: str, **kwargs: object) -> object:
    """``call_student``, and Incorrect if the call reached one of the package's ``shortcuts``.

    ``task`` is a sentence saying what the exercise asks the student to write instead.
    """
    codes, files = _watched(shortcuts)
    reached: list[str] = []

    def watch(frame, event, arg) -> None:  # a profile function's three arguments
        if event != "call" or reached:
            return
        code = frame.f_code
        if code in codes:
            reached.append(codes[code])
        elif code.co_filename in files:
            reached.append(f"{files[code.co_filename]}.{code.co_qualname.split('.')[0]}")

    previous = sys.getprofile()
    sys.setprofile(watch)
    try:
        result = call_student(function, *args, shown=shown, **kwargs)
    finally:
        sys.setprofile(previous)
    if reached:
        answer = shown.split("(")[0]
        raise Incorrect(
            f"`{answer}` calls the package's `{reached[0]}`, which already does the job: the "
            f"numbers come out right, but none of it is yours. {task}",
            Case(shown, "your own code", f"a call to {reached[0]}"))
    return result
