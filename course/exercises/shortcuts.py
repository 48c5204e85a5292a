"""Catch an answer that calls the package's own version of what its exercise asks to write.

Inside ``log_softmax``, a call to ``course.losses.log_softmax`` gives the right numbers and
teaches nothing. ``call_without_shortcuts`` runs the student's code with a tripwire on each
such package object: the object still works, but a call to it is recorded, and the answer is
then incorrect with a message that names the call. The tripwire replaces the object where a
student reaches it: as an attribute of its module or class (``losses.log_softmax``,
``Value.topological_order``), and under any name in the notebook's globals
(``from course.losses import log_softmax as ls``). Everything is put back afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from course.exercises.checking import Case, Incorrect, call_student

# what the message calls it -> (the module or class that holds it, its attribute name)
Shortcuts = dict[str, tuple[object, str]]


@contextmanager
def tripwires(shortcuts: Shortcuts, student_globals: dict) -> Iterator[set[str]]:
    """While inside, each shortcut records its name in the yielded set when it is called."""
    called: set[str] = set()
    restore: list[Callable[[], None]] = []
    try:
        for name, (owner, attribute) in shortcuts.items():
            original = getattr(owner, attribute)
            wire = _wire(original, name, called)
            setattr(owner, attribute, wire)
            restore.append(functools.partial(setattr, owner, attribute, original))
            for key, value in list(student_globals.items()):
                if value is original:
                    student_globals[key] = wire
                    restore.append(functools.partial(student_globals.__setitem__, key, original))
        yield called
    finally:
        for undo in reversed(restore):
            undo()


def _wire(original: Callable, name: str, called: set[str]) -> Callable:
    @functools.wraps(original)
    def wire(*args: object, **kwargs: object) -> object:
        called.add(name)
        return original(*args, **kwargs)

    return wire


def call_without_shortcuts(function: Callable, *args: object, shown: str,
                           shortcuts: Shortcuts, task: str, **kwargs: object) -> object:
    """``call_student``, and Incorrect if the call reached one of the package's ``shortcuts``.

    ``task`` says what the exercise asks the student to write, for the message.
    """
    student_globals = getattr(function, "__globals__", {})  # the notebook's, for a function
    with tripwires(shortcuts, student_globals) as called:
        result = call_student(function, *args, shown=shown, **kwargs)
    if called:
        used = sorted(called)[0]
        raise Incorrect(
            f"`{shown}` calls {used}, the package's own version of what this exercise asks "
            f"for: the numbers come out right, but nothing was written. Write {task} yourself.",
            Case(shown, "your own code", f"a call to {used}"))
    return result
