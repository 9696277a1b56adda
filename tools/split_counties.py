"""Splits us-atlas's counties-10m.json into one small TopoJSON file per state.

The map loads the county lines of the states in view only, once zoomed in: a few
kilobytes each instead of the whole country's 840 KB. Each file keeps the original
quantization and only the arcs its counties use (an arc's first point is absolute and
the rest are steps from it, so arcs are copied as they are and only renumbered).

    python3 tools/split_counties.py counties-10m.json static/vendor/us-atlas/counties/

(It lives outside static/ so that collectstatic never publishes it.)
"""

import json
import sys
from collections import defaultdict
from pathlib import Path


def split(topology):
    """(state FIPS code, its counties' topology) for every state, in order of the code."""
    by_state = defaultdict(list)
    for geometry in topology["objects"]["counties"]["geometries"]:
        by_state[geometry["id"][:2]].append(geometry)
    for state, geometries in sorted(by_state.items()):
        yield state, _counties_of(topology, geometries)


def _counties_of(topology, geometries):
    renumbered = {}
    arcs = []

    def renumber(index):
        original = index if index >= 0 else ~index
        if original not in renumbered:
            renumbered[original] = len(arcs)
            arcs.append(topology["arcs"][original])
        new = renumbered[original]
        return new if index >= 0 else ~new

    counties = []
    for geometry in geometries:
        multi = geometry["type"] == "MultiPolygon"
        polygons = geometry["arcs"] if multi else [geometry["arcs"]]
        polygons = [[[renumber(i) for i in ring] for ring in polygon] for polygon in polygons]
        counties.append(
            {
                "type": geometry["type"],
                "arcs": polygons if multi else polygons[0],
                "id": geometry["id"],
            }
        )
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {"counties": {"type": "GeometryCollection", "geometries": counties}},
        "arcs": arcs,
    }


if __name__ == "__main__":
    source, folder = Path(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    for state, part in split(json.loads(source.read_text())):
        (folder / f"{state}.json").write_text(json.dumps(part, separators=(",", ":")))
