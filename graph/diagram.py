"""Print the graph as a Mermaid diagram, generated from the wiring: ``python -m graph.diagram``.

The README embeds this output; ``tests/test_graph.py`` fails when the two disagree.
"""

from __future__ import annotations


def mermaid() -> str:
    from graph.builder import build_graph

    # The wiring does not depend on the dependencies, so none are needed to draw it.
    return build_graph(None).get_graph().draw_mermaid().strip()


if __name__ == "__main__":
    print(mermaid())
