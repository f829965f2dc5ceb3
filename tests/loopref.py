"""The dense Hungarian algorithm: the reference the loop's sparse solver (coach/loop.py) is
tested against, kept out of the package since only the tests need it."""

from __future__ import annotations


def hungarian(cost_matrix: list[list[int]]) -> list[int]:
    """Minimum-cost assignment of every row to its own column (rows <= columns): the column
    of each row. The O(n^2 m) shortest-augmenting-path form of the Hungarian algorithm with
    potentials (Kuhn-Munkres); deterministic, ties go to the lower column."""
    n, m = len(cost_matrix), len(cost_matrix[0]) if cost_matrix else 0
    assert n <= m, "more slots than columns: every slot has its own 'unfilled' column"
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row (1-based) assigned to column j; 0 = none
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    current = cost_matrix[i0 - 1][j - 1] - u[i0] - v[j]
                    if current < minv[j]:
                        minv[j], way[j] = current, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result
