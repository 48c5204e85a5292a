"""Answers to exercise set ex03 that its checks must judge: wrong ones and other right ones."""


def backward_naive(root):
    """Notebook 03's first attempt: passes a gradient on before it is complete."""
    root.grad = 1.0

    def pass_down(node):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad
            pass_down(child)

    pass_down(root)


def _topological_order_recursive(root):
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for child in node.children:
                visit(child)
            order.append(node)

    visit(root)
    return order


def _chain_rule(root, order):
    root.grad = 1.0
    for node in reversed(order):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad


def backward_recursive(root):
    """Right on small graphs, but its recursion is too deep for a long chain."""
    _chain_rule(root, _topological_order_recursive(root))


def backward_in_visiting_order(root):
    """Visits the nodes breadth first and passes each on at once: u before v, which uses u."""
    order, visited, queue = [], {root}, [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for child in node.children:
            if child not in visited:
                visited.add(child)
                queue.append(child)
    _chain_rule(root, list(reversed(order)))


def backward_with_method(root):
    root.backward()  # the checker's nodes have no methods


def backward_forgetting_the_root(root):
    order = _topological_order_recursive(root)  # fails on the first, smallest graph anyway
    for node in reversed(order):  # root.grad is still 0: nothing flows
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad


def backward_counting_users(root):
    """Another order without recursion: a node goes once every node using it has gone."""
    users, seen, stack = {}, {root}, [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            users[child] = users.get(child, 0) + 1
            if child not in seen:
                seen.add(child)
                stack.append(child)
    root.grad = 1.0
    ready = [root]
    while ready:
        node = ready.pop()
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad
            users[child] -= 1
            if users[child] == 0:
                ready.append(child)


# exercise id -> [(a wrong answer, a piece of text its verdict must contain), ...]
def backward_with_the_package_order(root):
    """Right grads, but the order is the package's: Value.topological_order, not a stack."""
    from course.engine import Value

    root.grad = 1.0
    for node in reversed(Value.topological_order(root)):
        for child, local in zip(node.children, node.local_grads):
            child.grad += local * node.grad


WRONG = {
    "03.1": [(12.0, "12 is ∂c/∂b")],
    "03.2": [(backward_with_the_package_order, "calls the package's `Value.topological_order`"),
             (backward_naive, "a.grad = 4 (measured by nudging a)"),
             (backward_recursive, "build the order with a stack"),
             (backward_in_visiting_order, "w = u * v"),
             (backward_with_method, "no methods"),
             (backward_forgetting_the_root, "root.grad = 1")],
}

# exercise id -> other correct answers (a different way to the same result must pass)
ALSO_CORRECT = {
    "03.2": [backward_counting_users],
}

# what the solutions use from their notebook, besides math and Value
NAMESPACE = {}
