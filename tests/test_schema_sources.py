"""The schema has one catalogue: graph/models.py declares every label, relationship type
and property, and every single-property index and uniqueness; cypher/schema/ adds only
what neomodel cannot declare (composite indexes and constraints), over properties the
models declare. Read from the sources, so a rename on one side fails here."""

import re

from neomodel import StructuredNode, StructuredRel
from neomodel.sync_.relationship_manager import RelationshipDefinition

from cypher import Q
from graph import models

_SCHEMA = re.compile(
    r"CREATE (?P<what>INDEX|CONSTRAINT) (?P<name>\w+) IF NOT EXISTS\s+"
    r"FOR \s*(?:\((?P<var>\w+):(?P<label>\w+)\)|\(\)-\[(?P<rvar>\w+):(?P<type>\w+)\]-\(\))\s+"
    r"(?:ON|REQUIRE) \((?P<props>[^)]*)\)",
)


def _nodes() -> dict[str, type[StructuredNode]]:
    return {
        cls.__label__: cls
        for cls in vars(models).values()
        if isinstance(cls, type) and issubclass(cls, StructuredNode) and cls is not StructuredNode
    }


def _relationships() -> dict[str, type[StructuredRel]]:
    """Relationship type → its model class, from the nodes' relationship definitions."""
    found: dict[str, type[StructuredRel]] = {}
    for node in _nodes().values():
        for definition in node.defined_properties(aliases=False, properties=False).values():
            assert isinstance(definition, RelationshipDefinition)
            found.setdefault(definition.definition["relation_type"], definition.definition["model"])
    return found


def _db_properties(cls: type) -> set[str]:
    """The names a model class's properties have in the database."""
    props = cls.defined_properties(aliases=False, rels=False)  # type: ignore[attr-defined]
    return {prop.db_property or name for name, prop in props.items()}


def _schema_statements() -> list[dict[str, str]]:
    statements = []
    for query in Q.schema:
        if query.mode != "schema":
            continue
        match = _SCHEMA.search(query.text)
        assert match, f"{query.name}: not an index or constraint this test can read"
        statements.append({**match.groupdict(), "query": query.name})
    return statements


def test_cypher_schema_covers_only_properties_the_models_declare():
    """Each composite index or constraint in cypher/schema/ is on a label or relationship
    type the models declare, and on properties its model class declares."""
    nodes, relationships = _nodes(), _relationships()
    for statement in _schema_statements():
        var = statement["var"] or statement["rvar"]
        props = [p.strip().removeprefix(var + ".") for p in statement["props"].split(",")]
        if statement["label"]:
            assert statement["label"] in nodes, statement["query"]
            owner = nodes[statement["label"]]
        else:
            assert relationships.get(statement["type"]) is not None, statement["query"]
            owner = relationships[statement["type"]]
        declared = _db_properties(owner)
        missing = [prop for prop in props if prop not in declared]
        assert missing == [], f"{statement['query']}: {owner.__name__} lacks {missing}"


def test_each_index_is_declared_in_one_place():
    """cypher/schema/ holds only what neomodel cannot declare: composite indexes and
    constraints. A single-property one belongs on the model (index=True/unique_index=True),
    and no statement repeats one a model declares."""
    for statement in _schema_statements():
        props = [p.strip() for p in statement["props"].split(",")]
        assert len(props) > 1, f"{statement['query']}: declare it on the model instead"
