"""Answers to exercise set ex03 that its checks must judge: wrong ones and other right ones."""

from course.engine import Value


def cube_with_wrong_local_grad(v):
    return Value(v.data**3, children=(v,), local_grads=(2 * v.data,))


def cube_from_products(v):
    return v * v * v  # a different graph, the same function: must pass


def cube_without_children(v):
    return Value(v.data**3)


def backward_naive(root):
    """Notebook 03's first attempt: passes a gradient on before it is complete."""
    root.grad = 1.0

    def pass_down(node):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad
            pass_down(child)

    pass_down(root)


def backward_recursive(root):
    """Right on small graphs, but its recursion is too deep for a long chain."""
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for child in node.children:
                visit(child)
            order.append(node)

    visit(root)
    root.grad = 1.0
    for node in reversed(order):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad


def backward_with_method(root):
    root.backward()  # the checker's nodes have no methods


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
WRONG = {
    "03.1": [(12.0, "12 is ∂c/∂b")],
    "03.2": [(cube_with_wrong_local_grad, "d cube(v)/dv at v = 2"),
             (cube_without_children, "does not record v as its child")],
    "03.3": [(backward_naive, "a.grad = 4 (measured by nudging a)"),
             (backward_recursive, "walk the graph with a stack"),
             (backward_with_method, "no methods")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "03.2": [cube_from_products],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
